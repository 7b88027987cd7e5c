package org.disklens.content.partition;

/**
 * One partition: {@code scheme} is {@code mbr} or {@code gpt}; {@code start} and {@code length} are in bytes
 * of the guest disk; {@code type} is the type's name where DiskLens knows it, else its code; {@code typeCode}
 * is the MBR type byte in hex or the GPT type GUID.
 */
public record Partition(int index, String scheme, long start, long length, String type, String typeCode, String name,
                        boolean bootable) {
}

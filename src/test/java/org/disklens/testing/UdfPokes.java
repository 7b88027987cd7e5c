package org.disklens.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and changes UDF structures in an image genisoimage -udf wrote (2 KiB blocks), to make hostile ones: file
 * identifier descriptors (FIDs) by name, and where their ICB points. Tags are not re-checksummed: DiskLens, like
 * the kernel, does not refuse a directory for its CRC.
 */
public final class UdfPokes {
    private static final int BLOCK = 2048;
    private static final int TAG_FID = 257;

    private UdfPokes() {
    }

    /** The byte offset of the FID named {@code name} (the first one, in any directory). */
    public static long fid(Path image, String name) {
        byte[] bytes = read(image);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int block = 0; block < bytes.length / BLOCK; block++) {
            int at = block * BLOCK;
            while (at + 38 <= bytes.length && Short.toUnsignedInt(buffer.getShort(at)) == TAG_FID) {
                int nameLength = Byte.toUnsignedInt(buffer.get(at + 19));
                int useLength = Short.toUnsignedInt(buffer.getShort(at + 36));
                int nameAt = at + 38 + useLength;
                if (nameLength > 1 && new String(bytes, nameAt + 1, nameLength - 1, StandardCharsets.ISO_8859_1).equals(name)) {
                    return at;
                }
                at += (38 + useLength + nameLength + 3) / 4 * 4;
            }
        }
        throw new IllegalStateException("no UDF FID named " + name + " in " + image);
    }

    /** The parent entry ("..") of the directory that holds the FID named {@code name}: the first FID of its block. */
    public static long parentFid(Path image, String name) {
        long fid = fid(image, name);
        long first = fid - fid % BLOCK;
        if ((read(image)[(int) first + 18] & 0x08) == 0) {
            throw new IllegalStateException("the directory of " + name + " does not start with its parent entry");
        }
        return first;
    }

    /** The logical block a FID's ICB points at. */
    public static long icb(Path image, long fid) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(read(image)).order(ByteOrder.LITTLE_ENDIAN).getInt((int) fid + 24));
    }

    /** Points the FID at {@code fid} to the file entry at logical block {@code lbn}. */
    public static void pointIcb(Path image, long fid, long lbn) {
        Hostile.pokeInPlace(image, fid + 24, Integer.reverseBytes((int) lbn), 4);
    }

    /** The FID's name changed to {@code name}, of the same length. */
    public static void rename(Path image, long fid, String name) {
        byte[] bytes = read(image);
        int useLength = Short.toUnsignedInt(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getShort((int) fid + 36));
        int nameLength = Byte.toUnsignedInt(bytes[(int) fid + 19]);
        if (nameLength - 1 != name.length()) {
            throw new IllegalArgumentException("names must have the same length");
        }
        byte[] raw = name.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(raw, 0, bytes, (int) fid + 38 + useLength + 1, raw.length);
        write(image, bytes);
    }

    private static byte[] read(Path image) {
        try {
            return Files.readAllBytes(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path image, byte[] bytes) {
        try {
            Files.write(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

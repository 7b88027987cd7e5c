package org.disklens.image.vhdx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of the two headers ({@code head}, at 64 KiB and 128 KiB): 4 KiB covered by a CRC-32C, of which the first
 * 80 bytes are fields. The valid header with the higher sequence number is the current one.
 *
 * <pre>
 *  0 signature "head"   4 checksum   8 sequence number (u64)
 * 16 file write GUID   32 data write GUID   48 log GUID (zero: no log to replay)
 * 64 log version (u16, 0)   66 version (u16, 1)   68 log length (u32, MiB multiple)   72 log offset (u64, MiB multiple)
 * </pre>
 */
record VhdxHeader(int signature, int checksum, long sequenceNumber, Guid fileWriteGuid, Guid dataWriteGuid,
                  Guid logGuid, int logVersion, int version, long logLength, long logOffset, boolean checksumValid) {
    static final int SIGNATURE = 0x64616568; // "head"
    static final int SIZE = 4096;
    static final long FIRST_OFFSET = 64 * 1024;
    static final long SECOND_OFFSET = 128 * 1024;

    static VhdxHeader parse(ByteBuffer block) {
        ByteBuffer bytes = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new VhdxHeader(bytes.getInt(0), bytes.getInt(4), bytes.getLong(8), Guid.parse(bytes, 16),
                Guid.parse(bytes, 32), Guid.parse(bytes, 48), Short.toUnsignedInt(bytes.getShort(64)),
                Short.toUnsignedInt(bytes.getShort(66)), Integer.toUnsignedLong(bytes.getInt(68)), bytes.getLong(72),
                Checksums.valid(bytes, 4));
    }

    /** What qemu and the spec accept: the signature, the checksum and version 1. */
    boolean valid() {
        return signature == SIGNATURE && checksumValid && version == 1;
    }

    /** Why this header is not valid, for messages. */
    String problem() {
        if (signature != SIGNATURE) {
            return "no 'head' signature";
        }
        if (!checksumValid) {
            return "checksum mismatch";
        }
        return version != 1 ? "version %d (only 1 is defined)".formatted(version) : "";
    }

    boolean hasLog() {
        return !logGuid.isZero() && logLength != 0;
    }

    /** The 4 KiB block with its checksum. */
    ByteBuffer encode() {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, SIGNATURE);
        bytes.putLong(8, sequenceNumber);
        fileWriteGuid.encode(bytes, 16);
        dataWriteGuid.encode(bytes, 32);
        logGuid.encode(bytes, 48);
        bytes.putShort(64, (short) logVersion);
        bytes.putShort(66, (short) version);
        bytes.putInt(68, (int) logLength);
        bytes.putLong(72, logOffset);
        Checksums.seal(bytes, 4);
        return bytes;
    }

    static VhdxHeader of(long sequenceNumber, Guid fileWriteGuid, Guid dataWriteGuid, long logLength, long logOffset) {
        return new VhdxHeader(SIGNATURE, 0, sequenceNumber, fileWriteGuid, dataWriteGuid, Guid.ZERO, 0, 1, logLength,
                logOffset, true);
    }
}

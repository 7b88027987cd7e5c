package org.disklens.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 512-byte header of a hosted sparse VMDK extent (VMware Virtual Disk Format 1.1/5.0, "Hosted Sparse Extent
 * Header"), little-endian and packed; all offsets and sizes are in sectors.
 *
 * <pre>
 *  0 magicNumber "KDMV"   4 version   8 flags   12 capacity   20 grainSize   28 descriptorOffset
 * 36 descriptorSize   44 numGTEsPerGT   48 rgdOffset   56 gdOffset   64 overHead   72 uncleanShutdown
 * 73 '\n'  74 ' '  75 '\r'  76 '\n' (line-end detection)   77 compressAlgorithm (16-bit)   79 padding
 * </pre>
 */
record SparseExtentHeader(int version, int flags, long capacity, long grainSize, long descriptorOffset,
                          long descriptorSize, int gtesPerGt, long rgdOffset, long gdOffset, long overHead,
                          int compressAlgorithm) {
    static final int MAGIC = 0x564d444b;
    static final int SIZE = 512;
    static final int FLAG_VALID_NEWLINE_DETECTION = 1;
    static final int FLAG_REDUNDANT_GRAIN_TABLE = 1 << 1;
    static final int FLAG_ZEROED_GRAIN_GTE = 1 << 2;
    static final int FLAG_COMPRESSED = 1 << 16;
    static final int FLAG_MARKERS = 1 << 17;
    static final long GD_AT_END = 0xffffffffffffffffL;
    static final int COMPRESSION_DEFLATE = 1;

    ByteBuffer encode() {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, MAGIC);
        bytes.putInt(4, version);
        bytes.putInt(8, flags);
        bytes.putLong(12, capacity);
        bytes.putLong(20, grainSize);
        bytes.putLong(28, descriptorOffset);
        bytes.putLong(36, descriptorSize);
        bytes.putInt(44, gtesPerGt);
        bytes.putLong(48, rgdOffset);
        bytes.putLong(56, gdOffset);
        bytes.putLong(64, overHead);
        bytes.put(72, (byte) 0);
        bytes.put(73, (byte) '\n');
        bytes.put(74, (byte) ' ');
        bytes.put(75, (byte) '\r');
        bytes.put(76, (byte) '\n');
        bytes.putShort(77, (short) compressAlgorithm);
        return bytes;
    }

    static SparseExtentHeader parse(ByteBuffer bytes) {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (le.remaining() < SIZE || le.getInt(0) != MAGIC) {
            throw new IllegalArgumentException("not a sparse extent header");
        }
        return new SparseExtentHeader(le.getInt(4), le.getInt(8), le.getLong(12), le.getLong(20), le.getLong(28),
                le.getLong(36), le.getInt(44), le.getLong(48), le.getLong(56), le.getLong(64),
                Short.toUnsignedInt(le.getShort(77)));
    }

    SparseExtentHeader withGdOffset(long sector) {
        return new SparseExtentHeader(version, flags, capacity, grainSize, descriptorOffset, descriptorSize, gtesPerGt,
                rgdOffset, sector, overHead, compressAlgorithm);
    }
}

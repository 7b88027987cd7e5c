package org.disklens.image.vmdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;

/**
 * The header of a hosted sparse extent ({@code KDMV}, versions 1 to 3; VMware Virtual Disk Format 1.1/5.0, "Hosted
 * Sparse Extent Header"), little-endian and packed, sizes in sectors. {@code gdOffset == GD_AT_END} means a
 * streamOptimized extent whose real header is the footer.
 * <pre>
 *  0 magicNumber "KDMV"   4 version   8 flags   12 capacity   20 grainSize   28 descriptorOffset
 * 36 descriptorSize   44 numGTEsPerGT   48 rgdOffset   56 gdOffset   64 overHead   72 uncleanShutdown
 * 73 '\n'  74 ' '  75 '\r'  76 '\n' (line-end detection)   77 compressAlgorithm (16-bit)   79 padding
 * </pre>
 */
public record SparseHeader(int version, int flags, long capacity, long grainSize, long descriptorOffset,
                           long descriptorSize, long numGTEsPerGT, long rgdOffset, long gdOffset, long overhead,
                           boolean uncleanShutdown, int compressAlgorithm) {
    static final int MAGIC = 0x564d444b;
    static final int SIZE = 512;
    static final long GD_AT_END = -1L;
    static final int FLAG_VALID_NEWLINE_DETECTION = 1;
    static final int FLAG_REDUNDANT_GT = 1 << 1;
    static final int FLAG_ZEROED_GRAIN = 1 << 2;
    static final int FLAG_COMPRESSED = 1 << 16;
    static final int FLAG_MARKERS = 1 << 17;
    static final int COMPRESS_DEFLATE = 1;
    /** Grains up to 1 GiB (2^21 sectors) and the spec's 512 entries per grain table. */
    static final long MAX_GRAIN_SECTORS = 1L << 21;
    static final long MAX_GTES_PER_GT = 512;

    static SparseHeader parse(ByteBuffer bytes, long hostOffset) throws ImageException {
        ByteBuffer le = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (le.remaining() < 79 || le.getInt(0) != MAGIC) {
            throw new CorruptImage("vmdk", "sparse extent header", hostOffset, "no KDMV magic");
        }
        SparseHeader header = new SparseHeader(le.getInt(4), le.getInt(8), le.getLong(12), le.getLong(20),
                le.getLong(28), le.getLong(36), Integer.toUnsignedLong(le.getInt(44)), le.getLong(48), le.getLong(56),
                le.getLong(64), le.get(72) != 0, Short.toUnsignedInt(le.getShort(77)));
        header.validate(hostOffset);
        return header;
    }

    private void validate(long hostOffset) throws ImageException {
        if (version < 1 || version > 3) {
            throw new UnsupportedFeature("vmdk", "sparse extent header", hostOffset,
                    "unsupported version %d (known: 1 to 3)".formatted(Integer.toUnsignedLong(version)));
        }
        if (grainSize <= 0 || Long.bitCount(grainSize) != 1 || grainSize > MAX_GRAIN_SECTORS) {
            throw new LimitExceeded("vmdk", "sparse extent header", hostOffset,
                    "grain size of %s sectors (a power of two up to 1 GiB is allowed)".formatted(Long.toUnsignedString(grainSize)));
        }
        if (numGTEsPerGT == 0 || numGTEsPerGT > MAX_GTES_PER_GT) {
            throw new LimitExceeded("vmdk", "sparse extent header", hostOffset,
                    "%d entries per grain table (1 to 512 allowed)".formatted(numGTEsPerGT));
        }
        if (capacity < 0 || capacity > (Long.MAX_VALUE >> 9)) {
            throw new LimitExceeded("vmdk", "sparse extent header", hostOffset,
                    "capacity of %s sectors is too large".formatted(Long.toUnsignedString(capacity)));
        }
        if (compressed() && compressAlgorithm != COMPRESS_DEFLATE) {
            throw new UnsupportedFeature("vmdk", "sparse extent header", hostOffset,
                    "unknown compression algorithm %d".formatted(compressAlgorithm));
        }
    }

    /** The header of an extent DiskLens writes: closed cleanly. */
    static SparseHeader ofNewExtent(int version, int flags, long capacity, long grainSize, long descriptorOffset,
                                    long descriptorSize, long numGTEsPerGT, long rgdOffset, long gdOffset, long overhead,
                                    int compressAlgorithm) {
        return new SparseHeader(version, flags, capacity, grainSize, descriptorOffset, descriptorSize, numGTEsPerGT,
                rgdOffset, gdOffset, overhead, false, compressAlgorithm);
    }

    ByteBuffer encode() {
        ByteBuffer bytes = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(0, MAGIC);
        bytes.putInt(4, version);
        bytes.putInt(8, flags);
        bytes.putLong(12, capacity);
        bytes.putLong(20, grainSize);
        bytes.putLong(28, descriptorOffset);
        bytes.putLong(36, descriptorSize);
        bytes.putInt(44, (int) numGTEsPerGT);
        bytes.putLong(48, rgdOffset);
        bytes.putLong(56, gdOffset);
        bytes.putLong(64, overhead);
        bytes.put(72, (byte) (uncleanShutdown ? 1 : 0));
        bytes.put(73, (byte) '\n');
        bytes.put(74, (byte) ' ');
        bytes.put(75, (byte) '\r');
        bytes.put(76, (byte) '\n');
        bytes.putShort(77, (short) compressAlgorithm);
        return bytes;
    }

    SparseHeader withGdOffset(long sector) {
        return new SparseHeader(version, flags, capacity, grainSize, descriptorOffset, descriptorSize, numGTEsPerGT,
                rgdOffset, sector, overhead, uncleanShutdown, compressAlgorithm);
    }

    boolean compressed() {
        return (flags & FLAG_COMPRESSED) != 0;
    }

    boolean zeroedGrains() {
        return (flags & FLAG_ZEROED_GRAIN) != 0;
    }

    boolean gdAtEnd() {
        return gdOffset == GD_AT_END;
    }

    long grainBytes() {
        return grainSize << 9;
    }

    /** Grain directory entries needed to cover the capacity. */
    long gdEntries() {
        long sectorsPerGt = numGTEsPerGT * grainSize;
        return (capacity + sectorsPerGt - 1) / sectorsPerGt;
    }
}

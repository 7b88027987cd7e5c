package org.disklens.image.vhd;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.Bounds;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * The block allocation table of a dynamic or differencing disk and the sector bitmaps of its blocks. A BAT entry is
 * the sector where a block starts ({@code 0xFFFFFFFF}: not allocated); a block is its sector bitmap (a bit per
 * sector, the most significant bit of the first byte for the block's first sector) followed by its data. A clear
 * bit means the sector is not in this file: zeroes in a dynamic disk, the parent's bytes in a differencing disk.
 * Bitmaps are read as needed and kept in a bounded cache.
 */
final class BlockTable {
    static final long UNUSED = 0xffffffffL;
    /** DiskLens reads the whole BAT at open: at most 32 MiB (with 2 MiB blocks, far past the 2040 GiB limit). */
    static final long MAX_BAT_BYTES = 32L << 20;
    /** qemu's limit on {@code max_table_entries} ({@code INT_MAX / 4}). */
    static final long MAX_ENTRIES = Integer.MAX_VALUE / 4;
    private static final long BITMAP_CACHE_BYTES = 4L << 20;

    private final BlockSource source;
    private final IntBuffer entries;
    private final long tableOffset;
    private final long blockSize;
    private final int blockShift;
    private final long bitmapBytes;
    private final long freeDataBlockOffset;
    private final Map<Long, byte[]> bitmaps;

    private BlockTable(BlockSource source, IntBuffer entries, long tableOffset, long blockSize, long bitmapBytes,
                       long freeDataBlockOffset) {
        this.source = source;
        this.entries = entries;
        this.tableOffset = tableOffset;
        this.blockSize = blockSize;
        this.blockShift = Long.numberOfTrailingZeros(blockSize);
        this.bitmapBytes = bitmapBytes;
        this.freeDataBlockOffset = freeDataBlockOffset;
        int capacity = (int) Math.max(16, BITMAP_CACHE_BYTES / Math.max(512, bitmapBytes));
        this.bitmaps = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Reads and validates the BAT of {@code header} for a disk of {@code virtualSize} bytes, with qemu's checks. */
    static BlockTable read(BlockSource source, DynamicHeader header, long headerOffset, long virtualSize)
            throws IOException {
        long blockSize = header.blockSize();
        if (blockSize < 512 || Long.bitCount(blockSize) != 1) {
            throw new CorruptImage("vpc", "dynamic disk header", headerOffset,
                    "invalid block size %d (a power of two of at least 512 bytes)".formatted(blockSize));
        }
        long entryCount = header.maxTableEntries();
        if (virtualSize / blockSize > 0xffffffffL) {
            throw new CorruptImage("vpc", "dynamic disk header", headerOffset, "too many blocks");
        }
        if (entryCount * blockSize < virtualSize) {
            throw new CorruptImage("vpc", "BAT", header.tableOffset(), "%d entries of %d bytes cannot map a disk of %d bytes"
                    .formatted(entryCount, blockSize, virtualSize));
        }
        if (entryCount > MAX_ENTRIES) {
            throw new LimitExceeded("vpc", "BAT", header.tableOffset(), "%d entries are more than qemu reads (%d)"
                    .formatted(entryCount, MAX_ENTRIES));
        }
        long tableOffset = header.tableOffset();
        Bounds.checkTable("vpc", "BAT", tableOffset, entryCount, 4, MAX_BAT_BYTES, source.size());
        IntBuffer entries = source.read(tableOffset, (int) (entryCount * 4), ByteOrder.BIG_ENDIAN).asIntBuffer();
        long bitmapBytes = header.bitmapBytes();
        long free = Math.ceilDiv(tableOffset + entryCount * 4, 512) * 512;
        long fileSize = source.size();
        for (int index = 0; index < entries.limit(); index++) {
            long entry = Integer.toUnsignedLong(entries.get(index));
            if (entry == UNUSED) {
                continue;
            }
            long end = entry * 512 + bitmapBytes + blockSize;
            if (end > fileSize) {
                throw new CorruptImage("vpc", "BAT", tableOffset, "entry %d puts block %d at 0x%x, past the end of the "
                        .formatted(index, index, entry * 512) + "file (0x%x): the image is truncated".formatted(fileSize));
            }
            free = Math.max(free, end);
        }
        return new BlockTable(source, entries, tableOffset, blockSize, bitmapBytes, free);
    }

    int entryCount() {
        return entries.limit();
    }

    long entry(long index) {
        return Integer.toUnsignedLong(entries.get((int) index));
    }

    boolean allocated(long index) {
        return entry(index) != UNUSED;
    }

    long blockSize() {
        return blockSize;
    }

    long bitmapBytes() {
        return bitmapBytes;
    }

    long tableOffset() {
        return tableOffset;
    }

    /** The BAT's bytes in the file, padded to a whole sector as qemu and Virtual PC write it. */
    long tableBytes() {
        return Math.ceilDiv(entries.limit() * 4L, 512) * 512;
    }

    /** qemu's {@code free_data_block_offset}: past the BAT and every block, where the next block would go. */
    long freeDataBlockOffset() {
        return freeDataBlockOffset;
    }

    /** Where block {@code index}'s bitmap starts, and its data right after it. */
    long bitmapOffset(long index) {
        return entry(index) * 512;
    }

    long dataOffset(long index) {
        return bitmapOffset(index) + bitmapBytes;
    }

    // ---- mapping ----

    /**
     * What the guest bytes from {@code guestOffset} are, for at most {@code limit} bytes: runs of unallocated
     * blocks, then within a block runs of sectors whose bitmap bits agree. Sectors not in this file are zero for a
     * dynamic disk and {@link Mapping.Unallocated} (the parent's) for a differencing one.
     */
    Mapping map(long guestOffset, long limit, boolean differencing) throws IOException {
        long block = guestOffset >>> blockShift;
        if (!allocated(block)) {
            long end = guestOffset + limit;
            long next = block + 1;
            while (next << blockShift < end && next < entries.limit() && !allocated(next)) {
                next++;
            }
            long length = Math.min(end, next << blockShift) - guestOffset;
            return notHere(length, differencing);
        }
        long inBlock = guestOffset & (blockSize - 1);
        long length = Math.min(limit, blockSize - inBlock);
        byte[] bits = bitmap(block);
        long firstSector = inBlock >>> 9;
        long endSector = (inBlock + length + 511) >>> 9;
        boolean present = bit(bits, firstSector);
        long runEnd = sameBitsUntil(bits, firstSector, endSector, present);
        long runLength = Math.min(inBlock + length, runEnd << 9) - inBlock;
        return present ? new Mapping.Data(source, dataOffset(block) + inBlock, runLength) : notHere(runLength, differencing);
    }

    private static Mapping notHere(long length, boolean differencing) {
        return differencing ? new Mapping.Unallocated(length) : new Mapping.Zero(length);
    }

    /** Whether sector {@code sector} of a block is in this file; a bitmap too short to say (qemu's for blocks under 4 KiB) says yes. */
    static boolean bit(byte[] bits, long sector) {
        int index = (int) (sector >>> 3);
        return index >= bits.length || (bits[index] & (0x80 >>> (sector & 7))) != 0;
    }

    /** The first sector in {@code [from, end)} whose bit is not {@code value}, or {@code end}. */
    static long sameBitsUntil(byte[] bits, long from, long end, boolean value) {
        byte whole = value ? (byte) 0xff : 0;
        long sector = from;
        while (sector < end) {
            int index = (int) (sector >>> 3);
            if ((sector & 7) == 0 && index < bits.length && bits[index] == whole && sector + 8 <= end) {
                sector += 8;
                continue;
            }
            if (bit(bits, sector) != value) {
                return sector;
            }
            sector++;
        }
        return end;
    }

    /** Block {@code index}'s sector bitmap (the block is allocated and, checked at open, inside the file). */
    byte[] bitmap(long index) throws IOException {
        synchronized (bitmaps) {
            byte[] cached = bitmaps.get(index);
            if (cached != null) {
                return cached;
            }
        }
        byte[] bits = new byte[(int) bitmapBytes];
        if (bits.length > 0) {
            source.read(bitmapOffset(index), java.nio.ByteBuffer.wrap(bits));
        }
        synchronized (bitmaps) {
            bitmaps.put(index, bits);
        }
        return bits;
    }
}

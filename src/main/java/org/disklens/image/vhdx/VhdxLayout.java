package org.disklens.image.vhdx;

import org.disklens.image.TargetConfig;

/**
 * Where DiskLens puts a new VHDX's structures, as qemu-img lays them out: the 1 MiB header section, the log at 1 MiB
 * (empty, its GUID zero), the BAT on the next MiB boundary, then a 1 MiB metadata region, then the payload blocks
 * (qemu leaves 4 MiB more before them; DiskLens does not). A fixed disk's blocks follow in guest order; a dynamic
 * disk's are appended as its data arrives, in guest order.
 */
record VhdxLayout(long virtualSize, long blockSize, long logLength, long batOffset, long batEntries, long batLength,
                  long metadataOffset, long dataStart) {
    static final long MIB = 1 << 20;
    static final long LOG_OFFSET = MIB;
    static final long METADATA_LENGTH = MIB;
    static final int SECTOR_SIZE = 512;

    static VhdxLayout of(long virtualSize, long blockSize, long logLength) {
        long blocks = Math.ceilDiv(virtualSize, blockSize);
        long chunkRatio = (1L << 23) * SECTOR_SIZE / blockSize;
        long entries = blocks == 0 ? 0 : blocks + (blocks - 1) / chunkRatio;
        long batOffset = TargetConfig.roundUp(LOG_OFFSET + logLength, MIB);
        long batLength = Math.max(MIB, TargetConfig.roundUp(entries * 8, MIB));
        if (blocks == 0) {
            // qemu counts the entries of an empty disk as (0 - 1) >> log2(chunk ratio) in 32 bits and refuses a smaller
            // BAT: a region of holes that size lets it open the file (qemu-img's own empty VHDX has the same)
            batLength = TargetConfig.roundUp(8 * (0xffffffffL >>> Long.numberOfTrailingZeros(chunkRatio)), MIB);
        }
        long metadataOffset = batOffset + batLength;
        return new VhdxLayout(virtualSize, blockSize, logLength, batOffset, entries, batLength, metadataOffset,
                metadataOffset + METADATA_LENGTH);
    }

    /** qemu-img's default block size for a disk of {@code size} bytes. */
    static long defaultBlockSize(long size) {
        if (size > 32L << 40) {
            return 64 * MIB;
        }
        if (size > 100L << 30) {
            return 32 * MIB;
        }
        return size > 1L << 30 ? 16 * MIB : 8 * MIB;
    }

    long blocks() {
        return Math.ceilDiv(virtualSize, blockSize);
    }

    long chunkRatio() {
        return (1L << 23) * SECTOR_SIZE / blockSize;
    }

    long payloadIndex(long block) {
        return block + block / chunkRatio();
    }

    /** The file's size with {@code storedBlocks} payload blocks. */
    long fileSize(long storedBlocks) {
        return dataStart + storedBlocks * blockSize;
    }
}

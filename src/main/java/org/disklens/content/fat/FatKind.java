package org.disklens.content.fat;

/**
 * FAT12, FAT16 or FAT32: the width of a FAT entry and what its values mean (fatgen103, "FAT Data Structure"). An
 * entry is 0 (free), 2 to the last cluster (the next cluster of a chain), the bad-cluster mark, or above it (end of
 * chain); 1, and anything between the last cluster and the bad mark, is reserved.
 */
enum FatKind {
    FAT12(12, 0xFF7, 4084),
    FAT16(16, 0xFFF7, 65524),
    /** FAT32 entries are 32 bits of which the top 4 are reserved and ignored. */
    FAT32(32, 0x0FFFFFF7, 0x0FFFFFF5);

    /** What one entry means, for a chain that reaches it. */
    enum Entry { FREE, NEXT, BAD, END, RESERVED }

    final int bits;
    final int badMark;
    /** The most clusters this kind can address (fatgen103: FAT12 below 4085, FAT16 below 65525). */
    final long maxClusters;

    FatKind(int bits, int badMark, long maxClusters) {
        this.bits = bits;
        this.badMark = badMark;
        this.maxClusters = maxClusters;
    }

    /** Which kind a volume with this many clusters is, by fatgen103's rule (cluster count alone decides). */
    static FatKind byClusterCount(long clusters) {
        return clusters < 4085 ? FAT12 : clusters < 65525 ? FAT16 : FAT32;
    }

    /** The byte offset of cluster {@code cluster}'s entry within the FAT (FAT12 entries start mid-byte when odd). */
    long entryOffset(long cluster) {
        return switch (this) {
            case FAT12 -> cluster * 3 / 2;
            case FAT16 -> cluster * 2;
            case FAT32 -> cluster * 4;
        };
    }

    /** What {@code value} means on a volume whose clusters are numbered 2 to {@code lastCluster}. */
    Entry classify(long value, long lastCluster) {
        if (value == 0) {
            return Entry.FREE;
        }
        if (value >= 2 && value <= lastCluster) {
            return Entry.NEXT;
        }
        if (value == badMark) {
            return Entry.BAD;
        }
        return value > badMark ? Entry.END : Entry.RESERVED;
    }
}

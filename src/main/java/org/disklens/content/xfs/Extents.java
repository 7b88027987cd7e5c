package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;

/**
 * A sorted run of bmbt extent records ({@code xfs_bmbt_rec}, 16 bytes, big-endian, 128 bits): bit 127 the unwritten
 * flag, bits 73-126 the file offset in blocks (54 bits), bits 21-72 the file-system block (52 bits), bits 0-20 the
 * length in blocks (21 bits). An inode's extent list and a bmbt leaf hold these; they must be in increasing file
 * order, non-overlapping and non-empty.
 */
record Extents(long[] fileBlocks, long[] startBlocks, int[] lengths, boolean[] unwritten) {
    static final int RECORD = 16;
    static final Extents NONE = new Extents(new long[0], new long[0], new int[0], new boolean[0]);

    /** {@code count} records from {@code bytes}' position on; at most {@code capacity} fit where they are kept. */
    static Extents parse(ByteBuffer bytes, long count, long capacity, String what, long where) throws CorruptImage {
        if (count < 0 || count > capacity) {
            throw new CorruptImage(XfsGeometry.NAMING, what, where,
                    "%s extents do not fit the %d that its space holds".formatted(Long.toUnsignedString(count), capacity));
        }
        int n = (int) count;
        ByteBuffer records = bytes.slice(bytes.position(), n * RECORD).order(ByteOrder.BIG_ENDIAN);
        long[] fileBlocks = new long[n];
        long[] startBlocks = new long[n];
        int[] lengths = new int[n];
        boolean[] unwritten = new boolean[n];
        long previousEnd = 0;
        for (int i = 0; i < n; i++) {
            long l0 = records.getLong(i * RECORD);
            long l1 = records.getLong(i * RECORD + 8);
            unwritten[i] = l0 < 0;
            fileBlocks[i] = (l0 & Long.MAX_VALUE) >>> 9;
            startBlocks[i] = ((l0 & 0x1FF) << 43) | (l1 >>> 21);
            lengths[i] = (int) (l1 & 0x1FFFFF);
            if (lengths[i] == 0) {
                throw new CorruptImage(XfsGeometry.NAMING, what, where, "extent %d has no blocks".formatted(i));
            }
            if (fileBlocks[i] < previousEnd) {
                throw new CorruptImage(XfsGeometry.NAMING, what, where,
                        "extent %d at file block %d overlaps or precedes the one before it".formatted(i, fileBlocks[i]));
            }
            previousEnd = fileBlocks[i] + lengths[i];
        }
        return new Extents(fileBlocks, startBlocks, lengths, unwritten);
    }

    int size() {
        return lengths.length;
    }

    /**
     * Where file block {@code block} is: inside an extent, or in a hole that ends at the next extent (or at
     * {@code bound}, the first file block the caller knows to lie beyond these records).
     */
    FileBlocks.Run find(long block, long bound) {
        int low = 0;
        int high = size() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (fileBlocks[middle] <= block) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        if (found >= 0 && block < fileBlocks[found] + lengths[found]) {
            long into = block - fileBlocks[found];
            return new FileBlocks.Run(startBlocks[found] + into, lengths[found] - into, unwritten[found]);
        }
        long next = found + 1 < size() ? fileBlocks[found + 1] : bound;
        return FileBlocks.Run.hole(Math.min(next, bound) - block);
    }
}

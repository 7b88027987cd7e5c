package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;

/**
 * Free space from each AG's free-space B+tree by block number (bnobt), found through the AGF in the AG's second
 * sector. Blocks on the AG free list (AGFL) are kept for the trees' own growth and count as used, as in
 * {@code agf_freeblks}. The tree is walked depth-first in key order, each child one level below its parent, so the runs
 * come out in increasing order; an AG whose AGF or tree is damaged is counted as used, with a warning.
 */
final class FreeSpace {
    static final int AGF_MAGIC = 0x58414746;
    static final int AGF_CRC_OFFSET = 216;
    static final int MAGIC_V4 = 0x41425442; // ABTB
    static final int MAGIC_V5 = 0x41423342; // AB3B
    static final int HEADER_V4 = 16;
    static final int HEADER_V5 = 56;
    static final int CRC_OFFSET = 52;
    static final int OWNER_OFFSET = 48;
    /** Allocation B+trees deeper than this are damage (the kernel's limit for 512-byte blocks is lower). */
    static final int MAX_LEVELS = 9;

    private final XfsVolume volume;
    private final XfsGeometry geometry;

    FreeSpace(XfsVolume volume) {
        this.volume = volume;
        this.geometry = volume.geometry();
    }

    void report(FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        Merger merger = new Merger(sink, Math.min(volume.size(), geometry.dataBlocks() * geometry.blockSize()));
        for (long agno = 0; agno < geometry.agCount(); agno++) {
            progress.checkCancelled();
            progress.progress(agno, geometry.agCount());
            List<long[]> runs = new ArrayList<>();
            try {
                walk(agno, runs);
            } catch (ImageException damaged) {
                volume.warn(damaged.getMessage() + " (AG %d is counted as used)".formatted(agno));
                continue;
            }
            for (long[] run : runs) {
                merger.accept(geometry.offsetOf(agno, run[0]), run[1] * geometry.blockSize());
            }
        }
        merger.flush();
        progress.progress(geometry.agCount(), geometry.agCount());
    }

    /** The free extents of AG {@code agno}, as [agbno, blocks] in increasing order. */
    private void walk(long agno, List<long[]> runs) throws IOException {
        long agfOffset = geometry.agStartOffset(agno) + geometry.sectorSize();
        String agfName = "AGF of AG " + agno;
        ByteBuffer agf = volume.read(agfOffset, geometry.sectorSize(), agfName);
        if (agf.getInt(0) != AGF_MAGIC || Integer.toUnsignedLong(agf.getInt(8)) != agno) {
            throw new CorruptImage(XfsGeometry.NAMING, agfName, agfOffset, "no XAGF magic or a wrong AG number");
        }
        volume.verify(agf, AGF_CRC_OFFSET, geometry.sectorSize(), agfName, agfOffset);
        long length = Integer.toUnsignedLong(agf.getInt(12));
        long root = Integer.toUnsignedLong(agf.getInt(16));
        long levels = Integer.toUnsignedLong(agf.getInt(28));
        if (length != geometry.agLength(agno)) {
            throw new CorruptImage(XfsGeometry.NAMING, agfName, agfOffset,
                    "says the AG has %d blocks, not %d".formatted(length, geometry.agLength(agno)));
        }
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new CorruptImage(XfsGeometry.NAMING, agfName, agfOffset,
                    "free-space tree of %d levels (1 to %d)".formatted(levels, MAX_LEVELS));
        }
        visit(agno, root, (int) levels - 1, true, runs);
    }

    /**
     * Visits one block and its children. Only the root may be an empty leaf, and each record must start after the one
     * before it, so a block reached twice (a tree that loops back sideways) is met as records out of order.
     */
    private void visit(long agno, long agbno, int level, boolean root, List<long[]> runs) throws IOException {
        String what = "free-space tree block of AG " + agno;
        if (agbno == 0 || agbno >= geometry.agLength(agno)) {
            throw new CorruptImage(XfsGeometry.NAMING, what, -1, "block %d lies outside the AG".formatted(agbno));
        }
        long offset = geometry.offsetOf(agno, agbno);
        int blockSize = geometry.blockSize();
        ByteBuffer block = volume.read(offset, blockSize, what);
        int header = checkHeader(block, agno, level, what, offset);
        int count = Short.toUnsignedInt(block.getShort(6));
        if (level == 0) {
            if (count > (blockSize - header) / 8 || (count == 0 && !root)) {
                throw new CorruptImage(XfsGeometry.NAMING, what, offset,
                        "%d records (1 to %d fit)".formatted(count, (blockSize - header) / 8));
            }
            for (int i = 0; i < count; i++) {
                addRecord(runs, agno, Integer.toUnsignedLong(block.getInt(header + i * 8)),
                        Integer.toUnsignedLong(block.getInt(header + i * 8 + 4)), what, offset);
            }
            return;
        }
        int capacity = (blockSize - header) / 12;
        if (count < 1 || count > capacity) {
            throw new CorruptImage(XfsGeometry.NAMING, what, offset, "%d keys (1 to %d fit)".formatted(count, capacity));
        }
        for (int i = 0; i < count; i++) {
            visit(agno, Integer.toUnsignedLong(block.getInt(header + capacity * 8 + i * 4)), level - 1, false, runs);
        }
    }

    private int checkHeader(ByteBuffer block, long agno, int level, String what, long offset) throws CorruptImage {
        boolean v5 = geometry.v5();
        int magic = block.getInt(0);
        if (magic != (v5 ? MAGIC_V5 : MAGIC_V4)) {
            throw new CorruptImage(XfsGeometry.NAMING, what, offset, "no %s magic (0x%08x)".formatted(v5 ? "AB3B" : "ABTB",
                    magic));
        }
        int actual = Short.toUnsignedInt(block.getShort(4));
        if (actual != level) {
            throw new CorruptImage(XfsGeometry.NAMING, what, offset,
                    "block at level %d where its parent expects %d (the tree loops or is damaged)".formatted(actual, level));
        }
        if (v5) {
            volume.verify(block, CRC_OFFSET, geometry.blockSize(), what, offset);
            if (Integer.toUnsignedLong(block.getInt(OWNER_OFFSET)) != agno) {
                volume.warn("%s: %s at 0x%x: the block says it belongs to AG %d".formatted(XfsGeometry.NAMING, what,
                        offset, Integer.toUnsignedLong(block.getInt(OWNER_OFFSET))));
            }
        }
        return v5 ? HEADER_V5 : HEADER_V4;
    }

    /** A free extent, after the previous one and inside the AG. */
    private void addRecord(List<long[]> runs, long agno, long start, long blocks, String what, long offset)
            throws CorruptImage {
        long previousEnd = runs.isEmpty() ? 0 : runs.getLast()[0] + runs.getLast()[1];
        if (blocks == 0 || start < previousEnd || start + blocks > geometry.agLength(agno)) {
            throw new CorruptImage(XfsGeometry.NAMING, what, offset, "free extent %d+%d is out of order or outside the AG"
                    .formatted(start, blocks));
        }
        runs.add(new long[] {start, blocks});
    }

    /** Joins touching runs and clips them to the volume before handing them on. */
    private static final class Merger {
        private final FileSystem.RangeSink sink;
        private final long limit;
        private long start = -1;
        private long end = -1;

        Merger(FileSystem.RangeSink sink, long limit) {
            this.sink = sink;
            this.limit = limit;
        }

        void accept(long offset, long length) throws IOException {
            long runEnd = Math.min(offset + length, limit);
            if (runEnd <= offset) {
                return;
            }
            if (offset == end) {
                end = runEnd;
                return;
            }
            flush();
            start = offset;
            end = runEnd;
        }

        void flush() throws IOException {
            if (start >= 0) {
                sink.accept(start, end - start);
            }
            start = -1;
            end = -1;
        }
    }
}

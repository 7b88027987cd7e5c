package org.disklens.content.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;

/**
 * Where a file's logical blocks are: through its extent tree ({@code EXTENTS_FL}) or its block map (12 direct
 * pointers, then single, double and triple indirect blocks). Each answer is the longest run that one node or one
 * indirect block tells: contiguous blocks on the volume, or a hole (no extent, an unwritten extent, a zero pointer)
 * that reads as zeroes.
 */
final class FileBlocks {
    /** Logical blocks are 32-bit. */
    static final long LOGICAL_BLOCKS = 1L << 32;
    private static final int DIRECT = 12;

    /** {@code blocks} blocks from the file's block asked for: at {@code physical} on the volume, or zeroes if -1. */
    record Run(long physical, long blocks) {
        boolean zero() {
            return physical < 0;
        }

        static Run hole(long blocks) {
            return new Run(-1, blocks);
        }
    }

    private final ExtVolume volume;

    FileBlocks(ExtVolume volume) {
        this.volume = volume;
    }

    /** The run at logical block {@code block}, at most {@code want} blocks long (at least 1). */
    Run run(Inode inode, long block, long want) throws IOException {
        if (block >= LOGICAL_BLOCKS) {
            return Run.hole(want);
        }
        return inode.has(Inode.EXTENTS_FL) ? extentRun(inode, block, want) : mappedRun(inode, block, want);
    }

    private Run extentRun(Inode inode, long block, long want) throws IOException {
        long where = inode.volumeOffset() + Inode.BLOCK_AREA;
        ExtentNode.Parsed root = ExtentNode.parse(inode.blockArea(), Inode.BLOCK_AREA_SIZE);
        if (root.node().isEmpty()) {
            throw new CorruptImage(volume.naming(), "extent tree of inode " + inode.number(), where, root.problem());
        }
        ExtentNode node = root.node().get();
        long bound = LOGICAL_BLOCKS;
        while (node.depth() > 0) {
            if (node.entries() == 0) {
                return Run.hole(Math.min(want, bound - block));
            }
            int index = Math.max(0, node.find(block));
            if (index + 1 < node.entries()) {
                bound = Math.min(bound, node.logical()[index + 1]);
            }
            long child = node.physical()[index];
            node = volume.extentNode(child, inode, node.depth() - 1, where);
            where = volume.layout().offsetOf(child);
        }
        return leafRun(inode, node, block, want, bound, where);
    }

    /** In a leaf: the extent holding {@code block} and those that continue it, or the hole up to the next extent. */
    private Run leafRun(Inode inode, ExtentNode leaf, long block, long want, long bound, long where) throws CorruptImage {
        int index = leaf.find(block);
        if (index < 0 || block >= leaf.logical()[index] + leaf.length()[index]) {
            long next = index + 1 < leaf.entries() ? Math.min(bound, leaf.logical()[index + 1]) : bound;
            return Run.hole(Math.min(want, Math.max(1, next - block)));
        }
        boolean unwritten = leaf.unwritten()[index];
        long start = leaf.physical()[index] + (block - leaf.logical()[index]);
        long blocks = leaf.logical()[index] + leaf.length()[index] - block;
        checkExtent(inode, leaf, index, where);
        for (int next = index + 1; next < leaf.entries() && blocks < want; next++) {
            boolean continues = leaf.logical()[next] == block + blocks && leaf.unwritten()[next] == unwritten
                    && (unwritten || leaf.physical()[next] == start + blocks);
            if (!continues) {
                break;
            }
            checkExtent(inode, leaf, next, where);
            blocks += leaf.length()[next];
        }
        return unwritten ? Run.hole(Math.min(want, blocks)) : new Run(start, Math.min(want, blocks));
    }

    private void checkExtent(Inode inode, ExtentNode leaf, int index, long where) throws CorruptImage {
        if (!leaf.unwritten()[index]) {
            volume.checkBlocks(leaf.physical()[index], leaf.length()[index], "extent of inode " + inode.number(), where);
        }
    }

    /** ext2/ext3 block map: direct pointers, then one, two and three levels of indirect blocks. */
    private Run mappedRun(Inode inode, long block, long want) throws IOException {
        ByteBuffer area = inode.blockArea();
        long perBlock = volume.layout().blockSize() / 4;
        if (block < DIRECT) {
            return tableRun(inode, area, DIRECT, (int) block, want);
        }
        long left = block - DIRECT;
        long span = perBlock;
        for (int level = 1; level <= 3; level++) {
            if (left < span) {
                return indirectRun(inode, Integer.toUnsignedLong(area.getInt((DIRECT + level - 1) * 4)), level, left, want);
            }
            left -= span;
            span *= perBlock;
        }
        return Run.hole(want);
    }

    /** Descends {@code level} indirect blocks from {@code pointer} to the table that holds entry {@code left}. */
    private Run indirectRun(Inode inode, long pointer, int level, long left, long want) throws IOException {
        long perBlock = volume.layout().blockSize() / 4;
        long span = 1;
        for (int i = 1; i < level; i++) {
            span *= perBlock;
        }
        long table = pointer;
        for (int depth = level; ; depth--) {
            if (table == 0) {
                return Run.hole(Math.min(want, span * perBlock - left));
            }
            ByteBuffer entries = volume.block(table, "indirect block of inode " + inode.number());
            int index = (int) (left / span);
            if (depth == 1) {
                return tableRun(inode, entries, (int) perBlock, index, want);
            }
            table = Integer.toUnsignedLong(entries.getInt(index * 4));
            left %= span;
            span /= perBlock;
        }
    }

    /** From entry {@code index} of a table of block pointers: contiguous blocks, or zero pointers, in a row. */
    private Run tableRun(Inode inode, ByteBuffer table, int entries, int index, long want) throws CorruptImage {
        long first = Integer.toUnsignedLong(table.getInt(index * 4));
        long blocks = 1;
        while (index + blocks < entries && blocks < want) {
            long next = Integer.toUnsignedLong(table.getInt((int) (index + blocks) * 4));
            if (first == 0 ? next != 0 : next != first + blocks) {
                break;
            }
            blocks++;
        }
        if (first == 0) {
            return Run.hole(blocks);
        }
        volume.checkBlocks(first, blocks, "block map of inode " + inode.number(), inode.volumeOffset());
        return new Run(first, blocks);
    }
}

package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;
import org.disklens.image.UnsupportedFeature;

/**
 * Where a file's blocks are, through its data fork: the extent list in the inode, or a descent of its bmbt from the
 * root in the inode. Each inner node's keys bound the file blocks of its children, so a block past a leaf's last
 * record is a hole up to the next key of an ancestor: no sibling pointers are followed, and each lookup reads at most
 * one block per level (cached), every child exactly one level below its parent, so a tree that points back at itself
 * is met as a level mismatch.
 */
final class FileBlocks {
    /** A run of file blocks: on disk from file-system block {@code start}, or a hole ({@code start < 0}). */
    record Run(long start, long blocks, boolean unwritten) {
        static Run hole(long blocks) {
            return new Run(-1, blocks, false);
        }

        boolean zero() {
            return start < 0 || unwritten;
        }
    }

    private final XfsVolume volume;

    FileBlocks(XfsVolume volume) {
        this.volume = volume;
    }

    /** The run that holds file block {@code block} of {@code inode}, as long as the data fork tells it at once. */
    Run run(Inode inode, long block) throws IOException {
        return switch (inode.format()) {
            case Inode.FORMAT_EXTENTS -> inode.extents().find(block, Long.MAX_VALUE);
            case Inode.FORMAT_BTREE -> descend(inode, block);
            default -> throw new UnsupportedFeature(XfsGeometry.NAMING, "inode " + inode.number(), inode.volumeOffset(),
                    "data fork format %d has no blocks".formatted(inode.format()));
        };
    }

    private Run descend(Inode inode, long block) throws IOException {
        String what = "bmbt of inode " + inode.number();
        BmbtNode node = BmbtNode.parseRoot(ByteBuffer.wrap(inode.dataFork()), inode.dataFork().length, what,
                inode.volumeOffset());
        long bound = Long.MAX_VALUE;
        while (node.level() > 0) {
            long[] keys = node.keys();
            int child = lastAtOrBefore(keys, block);
            if (child < 0) {
                return Run.hole(Math.min(keys[0], bound) - block);
            }
            if (child + 1 < keys.length) {
                bound = Math.min(bound, keys[child + 1]);
            }
            node = volume.bmbtNode(node.pointers()[child], node.level() - 1, inode.number(), what);
        }
        return node.extents().find(block, bound);
    }

    private static int lastAtOrBefore(long[] keys, long block) {
        int low = 0;
        int high = keys.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (keys[middle] <= block) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** Checks a run that is on disk against the file system before it is read. */
    long offsetOf(Run run, long blocks, Inode inode) throws CorruptImage {
        return volume.geometry().offsetOfBlocks(run.start(), blocks, "data of inode " + inode.number(),
                inode.volumeOffset());
    }
}

package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Whether the internal log was left clean, decided as the kernel's log recovery starts ({@code xlog_find_head},
 * {@code xlog_check_unmount_rec}), without replaying anything. The log is a ring of 512-byte basic blocks, each
 * stamped with the cycle of the pass that wrote it (a record header starts with 0xFEEDBABE then {@code h_cycle};
 * other blocks start with the cycle). The head is where the cycle drops; the last record before it must be a lone
 * unmount record ({@code h_num_logops} 1, its op header flagged {@code XLOG_UNMOUNT_TRANS}) that ends at the head.
 * A log never written (cycle 0 at its start) is clean.
 */
final class XfsLog {
    static final int BASIC_BLOCK = 512;
    static final int HEADER_MAGIC = 0xFEEDBABE;
    static final int UNMOUNT_TRANS = 0x20;
    /** The largest log record (XLOG_MAX_RECORD_BSIZE) and its headers, in basic blocks: how far back to look. */
    static final int MAX_RECORD_BLOCKS = 256 * 1024 / BASIC_BLOCK + 8;
    private static final int VERSION_2 = 2;
    private static final int HEADER_CYCLE_SIZE = 32 * 1024;

    private final XfsVolume volume;
    private final long start;
    private final long blocks;

    private XfsLog(XfsVolume volume, long start, long blocks) {
        this.volume = volume;
        this.start = start;
        this.blocks = blocks;
    }

    /** Why the internal log is not clean, or empty when it is (or is external, which DiskLens does not check). */
    static Optional<String> problem(XfsVolume volume) throws IOException {
        XfsSuperblock sb = volume.geometry().superblock();
        if (sb.logStart() == 0) {
            return Optional.empty();
        }
        long bytes = sb.logBlocks() * volume.geometry().blockSize();
        long offset = volume.geometry().offsetOfBlocks(sb.logStart(), sb.logBlocks(), "log", 0);
        if (bytes < 2 * BASIC_BLOCK) {
            return Optional.of("the log of %d blocks is too small to hold a record".formatted(sb.logBlocks()));
        }
        return new XfsLog(volume, offset, bytes / BASIC_BLOCK).check();
    }

    private Optional<String> check() throws IOException {
        long firstCycle = cycle(0);
        if (firstCycle == 0) {
            return Optional.empty();
        }
        long head = head(firstCycle);
        for (int back = 1; back <= Math.min(MAX_RECORD_BLOCKS, blocks); back++) {
            long at = Math.floorMod(head - back, blocks);
            ByteBuffer block = block(at);
            if (block.getInt(0) == HEADER_MAGIC) {
                return unmountRecordProblem(block, at, head);
            }
        }
        return Optional.of("no log record header before its head at block %d".formatted(head));
    }

    /** The first block whose cycle is older than block 0's: binary search, the log being written in order. */
    private long head(long firstCycle) throws IOException {
        if (cycle(blocks - 1) == firstCycle) {
            return 0;
        }
        long low = 0;
        long high = blocks - 1;
        while (high - low > 1) {
            long middle = (low + high) >>> 1;
            if (cycle(middle) == firstCycle) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return high;
    }

    private Optional<String> unmountRecordProblem(ByteBuffer header, long at, long head) throws IOException {
        long length = Integer.toUnsignedLong(header.getInt(12));
        long operations = Integer.toUnsignedLong(header.getInt(40));
        int version = header.getInt(8);
        long recordSize = Integer.toUnsignedLong(header.getInt(320));
        long headerBlocks = (version & VERSION_2) != 0 && recordSize > HEADER_CYCLE_SIZE
                ? (recordSize + HEADER_CYCLE_SIZE - 1) / HEADER_CYCLE_SIZE : 1;
        long end = Math.floorMod(at + headerBlocks + (length + BASIC_BLOCK - 1) / BASIC_BLOCK, blocks);
        if (end != Math.floorMod(head, blocks) || operations != 1) {
            return Optional.of("the last record (block %d, %d operations) is not an unmount record".formatted(at,
                    operations));
        }
        ByteBuffer data = block(Math.floorMod(at + headerBlocks, blocks));
        if ((data.get(9) & UNMOUNT_TRANS) == 0) {
            return Optional.of("the last record (block %d) is not an unmount record".formatted(at));
        }
        return Optional.empty();
    }

    private long cycle(long block) throws IOException {
        ByteBuffer bytes = block(block);
        int first = bytes.getInt(0);
        return Integer.toUnsignedLong(first == HEADER_MAGIC ? bytes.getInt(4) : first);
    }

    private ByteBuffer block(long block) throws IOException {
        return volume.read(start + block * BASIC_BLOCK, BASIC_BLOCK, "log block " + block);
    }
}

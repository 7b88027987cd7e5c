package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * One node of an extent tree: a 12-byte header ({@code eh_magic 0xF30A, eh_entries, eh_max, eh_depth}) then
 * {@code eh_entries} 12-byte entries, in the inode's {@code i_block} (room for 4) or in a block (room for
 * {@code (block - 12) / 12}, followed by a 4-byte crc32c tail under {@code metadata_csum}). Index entries (depth > 0)
 * are {@code (ei_block u32, ei_leaf_lo u32, ei_leaf_hi u16)}; leaf entries {@code (ee_block u32, ee_len u16,
 * ee_start_hi u16, ee_start_lo u32)}, a length over 32768 meaning an unwritten extent of {@code ee_len - 32768}.
 * {@code logical[i]} is the first logical block of entry i, {@code physical[i]} its block (a leaf's start or an index's
 * child), {@code length[i]} a leaf entry's blocks (0 for index entries), {@code unwritten[i]} whether it reads as
 * zeroes.
 */
record ExtentNode(int depth, int max, long[] logical, long[] physical, int[] length, boolean[] unwritten) {
    static final int MAGIC = 0xF30A;
    static final int HEADER = 12;
    static final int ENTRY = 12;
    static final int MAX_DEPTH = 5;
    static final int MAX_INITIALISED_LENGTH = 32768;

    /** The node in {@code bytes} (from position 0, {@code room} bytes of it), or a reason why it is not one. */
    static Parsed parse(ByteBuffer bytes, int room) {
        ByteBuffer node = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(node.getShort(0)) != MAGIC) {
            return Parsed.failure("extent header magic 0x%04x is not 0xF30A".formatted(Short.toUnsignedInt(node.getShort(0))));
        }
        int entries = Short.toUnsignedInt(node.getShort(2));
        int max = Short.toUnsignedInt(node.getShort(4));
        int depth = Short.toUnsignedInt(node.getShort(6));
        int capacity = (room - HEADER) / ENTRY;
        if (depth > MAX_DEPTH) {
            return Parsed.failure("extent tree deeper than %d (depth %d)".formatted(MAX_DEPTH, depth));
        }
        if (max > capacity || entries > max) {
            return Parsed.failure("%d extent entries with room for %d do not fit in %d (%d bytes)"
                    .formatted(entries, max, capacity, room));
        }
        long[] logical = new long[entries];
        long[] physical = new long[entries];
        int[] length = new int[entries];
        boolean[] unwritten = new boolean[entries];
        for (int i = 0; i < entries; i++) {
            int at = HEADER + i * ENTRY;
            logical[i] = Integer.toUnsignedLong(node.getInt(at));
            if (depth > 0) {
                physical[i] = Integer.toUnsignedLong(node.getInt(at + 4)) | (long) Short.toUnsignedInt(node.getShort(at + 8)) << 32;
            } else {
                int raw = Short.toUnsignedInt(node.getShort(at + 4));
                unwritten[i] = raw > MAX_INITIALISED_LENGTH;
                length[i] = unwritten[i] ? raw - MAX_INITIALISED_LENGTH : raw;
                physical[i] = (long) Short.toUnsignedInt(node.getShort(at + 6)) << 32 | Integer.toUnsignedLong(node.getInt(at + 8));
            }
            Optional<String> disorder = disorder(i, logical, length, depth);
            if (disorder.isPresent()) {
                return Parsed.failure(disorder.get());
            }
        }
        return new Parsed(Optional.of(new ExtentNode(depth, max, logical, physical, length, unwritten)), "");
    }

    /** Entries must be in increasing logical order, leaf extents non-empty, within 2^32 blocks, not overlapping. */
    private static Optional<String> disorder(int i, long[] logical, int[] length, int depth) {
        if (depth == 0 && (length[i] == 0 || logical[i] + length[i] > 1L << 32)) {
            return Optional.of("extent %d covers %d blocks from logical block %d".formatted(i, length[i], logical[i]));
        }
        if (i > 0 && logical[i] < logical[i - 1] + (depth == 0 ? length[i - 1] : 1)) {
            return Optional.of("extent %d (logical block %d) is out of order".formatted(i, logical[i]));
        }
        return Optional.empty();
    }

    int entries() {
        return logical.length;
    }

    /** Where the checksum tail of a node in a block is. */
    int tailOffset() {
        return HEADER + max * ENTRY;
    }

    /** The last entry whose first logical block is at most {@code block}, or -1. */
    int find(long block) {
        int low = 0;
        int high = entries() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (logical[middle] <= block) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** A parsed node, or why the bytes are not one. */
    record Parsed(Optional<ExtentNode> node, String problem) {
        static Parsed failure(String problem) {
            return new Parsed(Optional.empty(), problem);
        }
    }
}

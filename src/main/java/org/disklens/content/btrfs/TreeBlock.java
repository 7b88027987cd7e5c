package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * A tree block (node or leaf, {@code nodesize} bytes), decoded and validated. Header (0x65 bytes): csum[32] @0,
 * fsid[16] @0x20, bytenr u64 @0x30, flags u64 @0x38, chunk_tree_uuid @0x40, generation u64 @0x50, owner u64 @0x58,
 * nritems u32 @0x60, level u8 @0x64. A node then has nritems key pointers (key, blockptr u64, generation u64: 33
 * bytes); a leaf has nritems items (key, offset u32, size u32: 25 bytes) whose data offsets count from the end of
 * the header. Keys must be strictly increasing; item data must lie inside the block, after the item table.
 */
record TreeBlock(long bytenr, String fsid, long generation, long owner, int level, Key[] keys, long[] children,
                 long[] childGenerations, int[] dataOffsets, int[] dataSizes, byte[] bytes) {
    static final int HEADER = 0x65;
    static final int ITEM = 25;
    static final int KEY_POINTER = 33;
    /** BTRFS_MAX_LEVEL: levels 0 to 7. */
    static final int MAX_LEVEL = 7;

    /** The block, or why it is not one. */
    record Parsed(Optional<TreeBlock> block, String problem) {
    }

    static Parsed parse(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int level = Byte.toUnsignedInt(buffer.get(0x64));
        long count = Integer.toUnsignedLong(buffer.getInt(0x60));
        if (level > MAX_LEVEL) {
            return failed("level %d is above %d".formatted(level, MAX_LEVEL));
        }
        int entrySize = level == 0 ? ITEM : KEY_POINTER;
        if (count > (bytes.length - HEADER) / entrySize) {
            return failed("%d items do not fit in a block of %d bytes".formatted(count, bytes.length));
        }
        if (level > 0 && count == 0) {
            return failed("a node with no key pointers");
        }
        int n = (int) count;
        Key[] keys = new Key[n];
        long[] children = level > 0 ? new long[n] : new long[0];
        long[] generations = level > 0 ? new long[n] : new long[0];
        int[] offsets = level == 0 ? new int[n] : new int[0];
        int[] sizes = level == 0 ? new int[n] : new int[0];
        int dataArea = bytes.length - HEADER;
        for (int i = 0; i < n; i++) {
            int at = HEADER + i * entrySize;
            keys[i] = Key.parse(buffer, at);
            if (i > 0 && keys[i - 1].compareTo(keys[i]) >= 0) {
                return failed("key %d %s is not above key %d %s".formatted(i, keys[i], i - 1, keys[i - 1]));
            }
            if (level > 0) {
                children[i] = buffer.getLong(at + Key.SIZE);
                generations[i] = buffer.getLong(at + Key.SIZE + 8);
            } else {
                long offset = Integer.toUnsignedLong(buffer.getInt(at + Key.SIZE));
                long size = Integer.toUnsignedLong(buffer.getInt(at + Key.SIZE + 4));
                if (offset < (long) n * ITEM || offset + size > dataArea) {
                    return failed("item %d's data (offset %d, size %d) lies outside the leaf's data area (%d to %d)"
                            .formatted(i, offset, size, (long) n * ITEM, dataArea));
                }
                offsets[i] = (int) offset;
                sizes[i] = (int) size;
            }
        }
        return new Parsed(Optional.of(new TreeBlock(buffer.getLong(0x30), OnDiskText.uuid(buffer, 0x20),
                buffer.getLong(0x50), buffer.getLong(0x58), level, keys, children, generations, offsets, sizes, bytes)),
                "");
    }

    private static Parsed failed(String problem) {
        return new Parsed(Optional.empty(), problem);
    }

    int count() {
        return keys.length;
    }

    boolean leaf() {
        return level == 0;
    }

    Key key(int index) {
        return keys[index];
    }

    /** Item {@code index}'s data, little-endian, positioned at 0. */
    ByteBuffer data(int index) {
        return ByteBuffer.wrap(bytes, HEADER + dataOffsets[index], dataSizes[index]).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where item {@code index}'s data starts within the block. */
    int dataStart(int index) {
        return HEADER + dataOffsets[index];
    }

    /** The index of the last key at or below {@code key}, or -1 when every key is above it. */
    int floor(Key key) {
        int low = 0;
        int high = keys.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (keys[middle].compareTo(key) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }
}

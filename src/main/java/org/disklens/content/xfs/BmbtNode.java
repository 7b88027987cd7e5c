package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;

/**
 * One node of a file's extent B+tree (bmbt): the root kept in the inode's data fork ({@code xfs_bmdr_block}: level,
 * numrecs, then {@code maxrecs} keys and {@code maxrecs} pointers), or a block ({@code xfs_btree_block} long form:
 * magic {@code BMAP} (v4, 24-byte header) or {@code BMA3} (v5, 72-byte header with blkno, lsn, uuid, owner and a
 * CRC at 64)). A leaf (level 0) holds extent records; an inner node holds file-block keys and file-system block
 * pointers, in increasing key order.
 */
record BmbtNode(int level, long[] keys, long[] pointers, Extents extents) {
    static final int MAGIC_V4 = 0x424D4150;
    static final int MAGIC_V5 = 0x424D4133;
    static final int HEADER_V4 = 24;
    static final int HEADER_V5 = 72;
    static final int CRC_OFFSET = 64;
    static final int OWNER_OFFSET = 56;
    /** Trees deeper than this are damage: even 2^64 extents in 1 KiB blocks need fewer levels. */
    static final int MAX_LEVELS = 14;
    private static final int ROOT_HEADER = 4;

    /** The root in an inode's data fork of {@code forkSize} bytes. */
    static BmbtNode parseRoot(ByteBuffer fork, int forkSize, String what, long where) throws CorruptImage {
        ByteBuffer root = fork.slice(0, forkSize).order(ByteOrder.BIG_ENDIAN);
        int level = Short.toUnsignedInt(root.getShort(0));
        int count = Short.toUnsignedInt(root.getShort(2));
        int capacity = (forkSize - ROOT_HEADER) / 16;
        if (level < 1 || level > MAX_LEVELS) {
            throw new CorruptImage(XfsGeometry.NAMING, what, where, "bmbt root of level %d (1 to %d)".formatted(level,
                    MAX_LEVELS));
        }
        return inner(root, level, count, ROOT_HEADER, capacity, what, where);
    }

    /** A bmbt block of {@code blockSize} bytes at {@code where}; {@code v5} says which header it has. */
    static BmbtNode parseBlock(ByteBuffer block, int blockSize, boolean v5, String what, long where) throws CorruptImage {
        ByteBuffer bytes = block.slice(0, blockSize).order(ByteOrder.BIG_ENDIAN);
        int magic = bytes.getInt(0);
        if (magic != (v5 ? MAGIC_V5 : MAGIC_V4)) {
            throw new CorruptImage(XfsGeometry.NAMING, what, where, "no bmbt magic %s (0x%08x)"
                    .formatted(v5 ? "BMA3" : "BMAP", magic));
        }
        int level = Short.toUnsignedInt(bytes.getShort(4));
        int count = Short.toUnsignedInt(bytes.getShort(6));
        int header = v5 ? HEADER_V5 : HEADER_V4;
        int capacity = (blockSize - header) / 16;
        if (level == 0) {
            if (count > capacity) {
                throw new CorruptImage(XfsGeometry.NAMING, what, where,
                        "%d records do not fit the block's %d".formatted(count, capacity));
            }
            return new BmbtNode(0, new long[0], new long[0], Extents.parse(bytes.position(header), count, capacity, what,
                    where));
        }
        return inner(bytes, level, count, header, capacity, what, where);
    }

    private static BmbtNode inner(ByteBuffer bytes, int level, int count, int header, int capacity, String what,
                                  long where) throws CorruptImage {
        if (count < 1 || count > capacity) {
            throw new CorruptImage(XfsGeometry.NAMING, what, where,
                    "%d keys at level %d (1 to %d fit)".formatted(count, level, capacity));
        }
        long[] keys = new long[count];
        long[] pointers = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = bytes.getLong(header + i * 8);
            pointers[i] = bytes.getLong(header + capacity * 8 + i * 8);
            if (i > 0 && keys[i] <= keys[i - 1]) {
                throw new CorruptImage(XfsGeometry.NAMING, what, where, "keys out of order at %d".formatted(i));
            }
        }
        return new BmbtNode(level, keys, pointers, Extents.NONE);
    }

    /** Heap weight, roughly, for the cache. */
    long weight() {
        return 64 + 16L * keys.length + 29L * extents.size();
    }
}

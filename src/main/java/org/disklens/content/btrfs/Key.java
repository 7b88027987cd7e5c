package org.disklens.content.btrfs;

import java.nio.ByteBuffer;

/**
 * A Btrfs key (17 bytes: objectid u64, type u8, offset u64), ordered as the trees order them: objectid, type and
 * offset, each unsigned.
 */
record Key(long objectId, int type, long offset) implements Comparable<Key> {
    static final int SIZE = 17;

    static final int INODE_ITEM = 1;
    static final int INODE_REF = 12;
    static final int DIR_ITEM = 84;
    static final int DIR_INDEX = 96;
    static final int EXTENT_DATA = 108;
    static final int ROOT_ITEM = 132;
    static final int ROOT_BACKREF = 144;
    static final int ROOT_REF = 156;
    static final int EXTENT_ITEM = 168;
    static final int METADATA_ITEM = 169;
    static final int BLOCK_GROUP_ITEM = 192;
    static final int DEV_EXTENT = 204;
    static final int DEV_ITEM = 216;
    static final int CHUNK_ITEM = 228;

    static final long ROOT_TREE = 1;
    static final long EXTENT_TREE = 2;
    static final long CHUNK_TREE = 3;
    static final long DEV_TREE = 4;
    static final long FS_TREE = 5;
    static final long ROOT_TREE_DIR = 6;
    static final long BLOCK_GROUP_TREE = 11;
    static final long FIRST_FREE = 256;
    /** Subvolume ids run from 256 up to -256 (unsigned); beyond are the kernel's special trees. */
    static final long LAST_FREE = -256;
    static final long DEV_ITEMS = 1;
    static final long FIRST_CHUNK_TREE = 256;
    static final long MAX = -1L;

    static Key parse(ByteBuffer bytes, int at) {
        return new Key(bytes.getLong(at), Byte.toUnsignedInt(bytes.get(at + 8)), bytes.getLong(at + 9));
    }

    /** The smallest key of {@code objectId} and {@code type}. */
    static Key first(long objectId, int type) {
        return new Key(objectId, type, 0);
    }

    /** The largest key of {@code objectId} and {@code type}. */
    static Key last(long objectId, int type) {
        return new Key(objectId, type, MAX);
    }

    @Override
    public int compareTo(Key other) {
        int byObject = Long.compareUnsigned(objectId, other.objectId);
        if (byObject != 0) {
            return byObject;
        }
        int byType = Integer.compare(type, other.type);
        return byType != 0 ? byType : Long.compareUnsigned(offset, other.offset);
    }

    @Override
    public String toString() {
        return "(%s %d %s)".formatted(Long.toUnsignedString(objectId), type, Long.toUnsignedString(offset));
    }
}

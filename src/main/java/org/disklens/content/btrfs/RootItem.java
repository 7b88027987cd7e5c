package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;

/**
 * A root item (key (tree id, ROOT_ITEM 132, 0 or the snapshot's transid), in the root tree): an inode item (160
 * bytes), generation u64 @160, root_dirid @168, bytenr @176 (the tree's root block), byte_limit @184, bytes_used
 * @192, last_snapshot @200, flags @208, refs u32 @216, drop_progress key @220, drop_level u8 @237, level u8 @238.
 */
record RootItem(long generation, long rootDirId, long bytenr, int level, long refs) {
    static final int MIN_SIZE = 239;

    static RootItem parse(ByteBuffer data, String what, long where) throws CorruptImage {
        if (data.remaining() < MIN_SIZE) {
            throw new CorruptImage("btrfs", what, where, "root item of %d bytes is shorter than %d"
                    .formatted(data.remaining(), MIN_SIZE));
        }
        int at = data.position();
        RootItem item = new RootItem(data.getLong(at + 160), data.getLong(at + 168), data.getLong(at + 176),
                Byte.toUnsignedInt(data.get(at + 238)), Integer.toUnsignedLong(data.getInt(at + 216)));
        if (item.level > TreeBlock.MAX_LEVEL) {
            throw new CorruptImage("btrfs", what, where, "level %d is above %d".formatted(item.level, TreeBlock.MAX_LEVEL));
        }
        return item;
    }
}

package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;

/**
 * A device extent (key (devid, DEV_EXTENT 204, physical start), in the device tree): chunk_tree u64 @0,
 * chunk_objectid @8, chunk_offset @16 (the chunk's logical start), length @24, chunk_tree_uuid[16] @32.
 */
record DevExtent(long devid, long physical, long chunkLogical, long length) {
    static final int SIZE = 48;

    static DevExtent parse(ByteBuffer data, Key key, long where) throws CorruptImage {
        if (data.remaining() < SIZE) {
            throw new CorruptImage("btrfs", "device extent " + key, where, "item of %d bytes is too short"
                    .formatted(data.remaining()));
        }
        int at = data.position();
        long length = data.getLong(at + 24);
        if (key.offset() < 0 || length <= 0 || key.offset() > Long.MAX_VALUE - length) {
            throw new CorruptImage("btrfs", "device extent " + key, where, "length 0x%x is out of range".formatted(length));
        }
        return new DevExtent(key.objectId(), key.offset(), data.getLong(at + 16), length);
    }

    long end() {
        return physical + length;
    }
}

package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.content.OnDiskText;

/**
 * A device item (98 bytes; in the superblock at 0xc9 for the device it sits on, and in the chunk tree under key
 * (DEV_ITEMS 1, DEV_ITEM 216, devid) for every device): devid u64 @0, total_bytes u64 @8, bytes_used u64 @16,
 * uuid[16] @66, fsid[16] @82.
 */
record DevItem(long devid, long totalBytes, long bytesUsed, String uuid) {
    static final int SIZE = 98;

    static DevItem parse(ByteBuffer bytes) {
        ByteBuffer item = bytes.slice(bytes.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        return new DevItem(item.getLong(0), item.getLong(8), item.getLong(16), OnDiskText.uuid(item, 66));
    }
}

package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;

/**
 * One entry of a DIR_ITEM (84, keyed by name hash, possibly several entries) or DIR_INDEX (96, keyed by index, one
 * entry) item: location key @0 (an inode's (inode, INODE_ITEM, 0), or a subvolume's (id, ROOT_ITEM, -1)), transid
 * u64 @17, data_len u16 @25, name_len u16 @27, type u8 @29, name @30, then data_len bytes (xattrs only).
 */
record DirEntry(Key location, int fileType, byte[] name) {
    static final int HEADER = 30;
    /** BTRFS_NAME_LEN. */
    static final int MAX_NAME = 255;

    /** Every entry of one item's data. */
    static List<DirEntry> parseAll(ByteBuffer data, String what, long where) throws CorruptImage {
        List<DirEntry> entries = new ArrayList<>(1);
        int at = data.position();
        int end = data.limit();
        while (at < end) {
            if (end - at < HEADER) {
                throw new CorruptImage("btrfs", what, where, "a directory entry of %d bytes is cut short".formatted(end - at));
            }
            int dataLength = Short.toUnsignedInt(data.getShort(at + 25));
            int nameLength = Short.toUnsignedInt(data.getShort(at + 27));
            if (nameLength == 0 || nameLength > MAX_NAME || HEADER + nameLength + dataLength > end - at) {
                throw new CorruptImage("btrfs", what, where, "a directory entry's name (%d bytes) and data (%d) do not fit"
                        .formatted(nameLength, dataLength));
            }
            byte[] name = new byte[nameLength];
            data.get(at + HEADER, name);
            entries.add(new DirEntry(Key.parse(data, at), Byte.toUnsignedInt(data.get(at + 29)), name));
            at += HEADER + nameLength + dataLength;
        }
        return entries;
    }

    boolean isSubvolume() {
        return location.type() == Key.ROOT_ITEM;
    }
}

package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.disklens.image.CorruptImage;

/**
 * A root ref (key (parent tree, ROOT_REF 156, subvolume id)) or back ref (key (subvolume id, ROOT_BACKREF 144,
 * parent tree)): dirid u64 @0 (the directory of the parent tree holding the subvolume), sequence u64 @8 (its index
 * there), name_len u16 @16, name @18.
 */
record RootRef(long dirId, long sequence, String name) {
    static final int HEADER = 18;

    static RootRef parse(ByteBuffer data, String what, long where) throws CorruptImage {
        int at = data.position();
        if (data.remaining() < HEADER) {
            throw new CorruptImage("btrfs", what, where, "root ref of %d bytes is too short".formatted(data.remaining()));
        }
        int nameLength = Short.toUnsignedInt(data.getShort(at + 16));
        if (nameLength > data.remaining() - HEADER) {
            throw new CorruptImage("btrfs", what, where, "name of %d bytes does not fit".formatted(nameLength));
        }
        byte[] name = new byte[nameLength];
        data.get(at + HEADER, name);
        return new RootRef(data.getLong(at), data.getLong(at + 8), new String(name, StandardCharsets.UTF_8));
    }
}

package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;

/**
 * One entry of {@code $ATTRIBUTE_LIST}: type (0), entry length (4), name length (6) and offset (7), first VCN (8),
 * the MFT reference of the record holding the attribute (16), attribute identifier (24), name.
 */
record AttributeListEntry(int type, String name, long firstVcn, long reference, int id) {
    static final int HEADER = 26;

    static List<AttributeListEntry> parseAll(byte[] list, String where) throws CorruptImage {
        ByteBuffer bytes = ByteBuffer.wrap(list).order(ByteOrder.LITTLE_ENDIAN);
        List<AttributeListEntry> entries = new ArrayList<>();
        int at = 0;
        while (at <= list.length - HEADER) {
            int length = Short.toUnsignedInt(bytes.getShort(at + 4));
            int nameLength = Byte.toUnsignedInt(bytes.get(at + 6));
            int nameOffset = Byte.toUnsignedInt(bytes.get(at + 7));
            if (length < HEADER || length > list.length - at || nameOffset + 2 * nameLength > length) {
                throw new CorruptImage(Geometry.NAMING, where, -1,
                        "attribute list entry at byte %d has length %d".formatted(at, length));
            }
            byte[] name = new byte[2 * nameLength];
            bytes.get(at + nameOffset, name);
            entries.add(new AttributeListEntry(bytes.getInt(at), new String(name, StandardCharsets.UTF_16LE),
                    bytes.getLong(at + 8), bytes.getLong(at + 16), Short.toUnsignedInt(bytes.getShort(at + 24))));
            at += length;
        }
        return entries;
    }
}

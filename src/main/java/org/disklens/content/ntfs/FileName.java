package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.disklens.image.CorruptImage;

/**
 * {@code $FILE_NAME}, as an attribute and as the key of a directory index entry: parent reference (0), four
 * FILETIMEs (8-39), allocated and data size (40, 48; often stale), file attribute flags (56), reparse tag or EA size
 * (60), name length in UTF-16 units (64), namespace (65), name (66).
 */
record FileName(long parentReference, long modified, long dataSize, int fileAttributes, int namespace, String name) {
    static final int POSIX = 0;
    static final int WIN32 = 1;
    static final int DOS = 2;
    static final int WIN32_AND_DOS = 3;
    static final int HEADER = 66;

    static FileName parse(ByteBuffer buffer, int at, int length, String where, long volumeOffset) throws CorruptImage {
        ByteBuffer bytes = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (length < HEADER || at < 0 || at > bytes.limit() - length) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "a file name of %d bytes".formatted(length));
        }
        int nameLength = Byte.toUnsignedInt(bytes.get(at + 64));
        if (HEADER + 2 * nameLength > length) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset,
                    "a name of %d characters runs past its %d-byte file name".formatted(nameLength, length));
        }
        byte[] name = new byte[2 * nameLength];
        bytes.get(at + HEADER, name);
        return new FileName(bytes.getLong(at), bytes.getLong(at + 16), bytes.getLong(at + 48), bytes.getInt(at + 56),
                Byte.toUnsignedInt(bytes.get(at + 65)), new String(name, StandardCharsets.UTF_16LE));
    }

    /** Whether this is only the 8.3 alias of a name listed under its long form (ntfs-3g hides those). */
    boolean dosOnly() {
        return namespace == DOS;
    }
}

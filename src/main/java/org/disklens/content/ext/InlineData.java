package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.disklens.image.CorruptImage;

/**
 * The {@code system.data} extended attribute of an inode with inline data ({@code INCOMPAT_INLINE_DATA},
 * {@code EXT4_INLINE_DATA_FL}): it lives in the inode's extra space, after {@code 128 + i_extra_isize}, as
 * {@code h_magic 0xEA020000} then entries {@code (name_len u8, name_index u8, value_offs u16, value_inum u32,
 * value_size u32, hash u32, name)} padded to 4 bytes, ended by four zero bytes; value offsets count from the first
 * entry. {@code system.} is name index 7.
 */
final class InlineData {
    static final int XATTR_MAGIC = 0xEA020000;
    static final int SYSTEM_INDEX = 7;
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static final int ENTRY_HEADER = 16;

    private InlineData() {
    }

    /** The value of system.data, empty when the inode has none; {@code raw} is the whole inode. */
    static byte[] systemData(ByteBuffer raw, int extra, long number, long volumeOffset, ExtLayout layout)
            throws CorruptImage {
        int start = ExtLayout.GOOD_OLD_INODE_SIZE + extra;
        int end = raw.capacity();
        if (start + 4 > end || raw.getInt(start) != XATTR_MAGIC) {
            return new byte[0];
        }
        int first = start + 4;
        for (int at = first; at + 4 <= end && raw.getInt(at) != 0; ) {
            if (at + ENTRY_HEADER > end) {
                throw corrupt(layout, number, volumeOffset, "an extended attribute runs past the inode");
            }
            int nameLength = Byte.toUnsignedInt(raw.get(at));
            int index = Byte.toUnsignedInt(raw.get(at + 1));
            int valueOffset = Inode.u16(raw, at + 2);
            long valueInode = Inode.u32(raw, at + 4);
            long valueSize = Inode.u32(raw, at + 8);
            int next = at + ((ENTRY_HEADER + nameLength + 3) & ~3);
            if (next > end) {
                throw corrupt(layout, number, volumeOffset, "an extended attribute's name runs past the inode");
            }
            if (index == SYSTEM_INDEX && nameLength == DATA.length && isData(raw, at + ENTRY_HEADER)) {
                if (valueInode != 0 || first + (long) valueOffset + valueSize > end) {
                    throw corrupt(layout, number, volumeOffset, "its inline data (system.data) lies outside the inode");
                }
                byte[] value = new byte[(int) valueSize];
                raw.get(first + valueOffset, value);
                return value;
            }
            at = next;
        }
        return new byte[0];
    }

    private static boolean isData(ByteBuffer raw, int at) {
        byte[] name = new byte[DATA.length];
        raw.get(at, name);
        return Arrays.equals(name, DATA);
    }

    private static CorruptImage corrupt(ExtLayout layout, long number, long volumeOffset, String problem) {
        return new CorruptImage(layout.naming(), "inode " + number, volumeOffset, problem);
    }
}

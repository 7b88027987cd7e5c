package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.disklens.image.CorruptImage;

/**
 * {@code $REPARSE_POINT}: a tag (0), the length of its data (4) and the data (8). Links are read from three tags:
 * <ul>
 * <li>symbolic link {@code 0xA000000C}: substitute name offset and length, print name offset and length, flags
 * (bit 0: relative), then the names (UTF-16, offsets from byte 12 of the data);
 * <li>junction or mount point {@code 0xA0000003}: the same without flags (names from byte 8);
 * <li>WSL symbolic link {@code 0xA000001D}: version 2, then the target in UTF-8.
 * </ul>
 * The target is the one ntfs-3g shows, without its mount point: a relative link's substitute name with
 * {@code /} for {@code \}; an absolute one ({@code \??\C:\dir}) as {@code C:/dir}, where ntfs-3g shows
 * {@code <mount point>/.NTFS-3G/C:/dir}.
 */
record ReparsePoint(int tag, byte[] data) {
    static final int MOUNT_POINT = 0xA0000003;
    static final int SYMLINK = 0xA000000C;
    static final int WSL_SYMLINK = 0xA000001D;
    static final int WSL_SOCKET = 0x80000023;
    static final int WSL_FIFO = 0x80000024;
    static final int WSL_CHARACTER = 0x80000025;
    static final int WSL_BLOCK = 0x80000026;
    static final int DEDUPLICATION = 0x80000013;
    static final int WOF = 0x80000017;
    static final int SYMLINK_RELATIVE = 0x1;

    static ReparsePoint parse(byte[] value, String where) throws CorruptImage {
        if (value.length < 8) {
            throw new CorruptImage(Geometry.NAMING, where, -1, "a reparse point of %d bytes".formatted(value.length));
        }
        ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int length = Math.min(Short.toUnsignedInt(bytes.getShort(4)), value.length - 8);
        return new ReparsePoint(bytes.getInt(0), Arrays.copyOfRange(value, 8, 8 + length));
    }

    /** A WSL FIFO, socket or device: shown as "other", as ntfs-3g shows them as such. */
    boolean wslSpecialFile() {
        return tag == WSL_SOCKET || tag == WSL_FIFO || tag == WSL_CHARACTER || tag == WSL_BLOCK;
    }

    /** Data that Windows keeps elsewhere (WOF-compressed, deduplicated, cloud placeholders): the $DATA is not it. */
    boolean dataKeptElsewhere() {
        return tag == WOF || tag == DEDUPLICATION || (tag & 0xF000FFFF) == 0x9000001A;
    }

    /** The link target, when this is a symbolic link, junction or WSL link whose data is sound. */
    Optional<String> linkTarget() {
        ByteBuffer bytes = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (tag) {
            case SYMLINK -> data.length < 12 ? Optional.empty()
                    : names(bytes, 12).map(name -> (bytes.getInt(8) & SYMLINK_RELATIVE) != 0
                            ? name.replace('\\', '/') : absolute(name));
            case MOUNT_POINT -> data.length < 8 ? Optional.empty() : names(bytes, 8).map(ReparsePoint::absolute);
            case WSL_SYMLINK -> data.length < 4 || bytes.getInt(0) != 2 ? Optional.empty()
                    : Optional.of(new String(data, 4, data.length - 4, StandardCharsets.UTF_8));
            default -> Optional.empty();
        };
    }

    /** The substitute name, or the print name where the substitute is empty; names lie from {@code buffer} on. */
    private Optional<String> names(ByteBuffer bytes, int buffer) {
        Optional<String> substitute = name(bytes, buffer, bytes.getShort(0), bytes.getShort(2));
        if (substitute.isPresent() && !substitute.get().isEmpty()) {
            return substitute;
        }
        return name(bytes, buffer, bytes.getShort(4), bytes.getShort(6));
    }

    private Optional<String> name(ByteBuffer bytes, int buffer, short offset, short length) {
        int from = buffer + Short.toUnsignedInt(offset);
        int count = Short.toUnsignedInt(length);
        if (from + count > data.length) {
            return Optional.empty();
        }
        return Optional.of(new String(data, from, count & ~1, StandardCharsets.UTF_16LE));
    }

    /** {@code \??\C:\dir} as {@code C:/dir}; a volume GUID or UNC path keeps what follows {@code \??\}. */
    private static String absolute(String name) {
        String path = name.startsWith("\\??\\") || name.startsWith("\\\\?\\") ? name.substring(4) : name;
        path = path.replace('\\', '/');
        if (path.length() >= 2 && path.charAt(1) == ':') {
            path = path.substring(0, 1).toUpperCase(Locale.ROOT) + path.substring(1);
        }
        return path;
    }
}

package org.disklens.image.vhdx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;

/**
 * The parent locator metadata item of a differencing disk: a locator type and UTF-16LE key/value pairs.
 *
 * <pre>
 * header (20 bytes):  0 locator type GUID (VHDX: B04AEFB7-D19E-4A81-B789-25B8E9445913)   16 reserved   18 key/value count
 * entry (12 bytes):   0 key offset   4 value offset (both from the item's start, &gt; 0)   8 key length   10 value length
 * </pre>
 * Keys of the VHDX type: {@code parent_linkage} (the parent's data write GUID, braced), {@code parent_linkage2},
 * {@code relative_path}, {@code volume_path}, {@code absolute_win32_path} (Windows paths, {@code \} separators).
 */
record ParentLocator(Guid type, Map<String, String> entries) {
    static final Guid VHDX_TYPE = Guid.fromText("B04AEFB7-D19E-4A81-B789-25B8E9445913");
    static final int HEADER_SIZE = 20;
    static final int ENTRY_SIZE = 12;

    static ParentLocator parse(ByteBuffer item, long hostOffset) throws ImageException {
        ByteBuffer bytes = item.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int length = bytes.limit();
        if (length < HEADER_SIZE) {
            throw new CorruptImage("vhdx", "parent locator", hostOffset, "%d bytes are too short for its header".formatted(length));
        }
        Guid type = Guid.parse(bytes, 0);
        int count = Short.toUnsignedInt(bytes.getShort(18));
        if (HEADER_SIZE + (long) count * ENTRY_SIZE > length) {
            throw new CorruptImage("vhdx", "parent locator", hostOffset,
                    "%d key/value entries do not fit in its %d bytes".formatted(count, length));
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int at = HEADER_SIZE + i * ENTRY_SIZE;
            String key = text(bytes, bytes.getInt(at), bytes.getShort(at + 8), hostOffset, "key of entry " + i);
            String value = text(bytes, bytes.getInt(at + 4), bytes.getShort(at + 10), hostOffset, "value of entry " + i);
            if (entries.putIfAbsent(key, value) != null) {
                throw new CorruptImage("vhdx", "parent locator", hostOffset, "key '%s' appears twice".formatted(key));
            }
        }
        return new ParentLocator(type, entries);
    }

    private static String text(ByteBuffer bytes, int offset, short length, long hostOffset, String what) throws ImageException {
        long start = Integer.toUnsignedLong(offset);
        int size = Short.toUnsignedInt(length);
        if (start == 0 || size == 0 || start + size > bytes.limit() || size % 2 != 0) {
            throw new CorruptImage("vhdx", "parent locator", hostOffset,
                    "%s (%d bytes at %d) lies outside the item or is empty".formatted(what, size, start));
        }
        try {
            return StandardCharsets.UTF_16LE.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate().position((int) start).limit((int) start + size)).toString();
        } catch (CharacterCodingException malformed) {
            throw new CorruptImage("vhdx", "parent locator", hostOffset, "%s is not UTF-16".formatted(what));
        }
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The parent's data write GUID this disk was made against, if the locator says it. */
    Optional<Guid> linkage(String key) {
        try {
            return value(key).map(Guid::fromText);
        } catch (IllegalArgumentException notAGuid) {
            return Optional.empty();
        }
    }

    /**
     * The name to look for the parent by, relative to the child's folder: {@code relative_path} with {@code /}
     * separators ({@code .\base.vhdx} becomes {@code base.vhdx}), else the file name of {@code absolute_win32_path}
     * or {@code volume_path} (the parent beside the child, as a copied pair of files usually is).
     */
    Optional<String> parentName() {
        Optional<String> relative = value("relative_path").map(ParentLocator::unixRelative).filter(name -> !name.isEmpty());
        if (relative.isPresent()) {
            return relative;
        }
        return value("absolute_win32_path").or(() -> value("volume_path")).map(ParentLocator::lastComponent)
                .filter(name -> !name.isEmpty());
    }

    static String unixRelative(String windowsPath) {
        String path = windowsPath.replace('\\', '/');
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        return path;
    }

    private static String lastComponent(String windowsPath) {
        String path = windowsPath.replace('\\', '/');
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The item's bytes, keys and values laid out after the entry table (as Hyper-V lays them). */
    ByteBuffer encode() {
        int tableEnd = HEADER_SIZE + entries.size() * ENTRY_SIZE;
        int total = tableEnd;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            total += 2 * (entry.getKey().length() + entry.getValue().length());
        }
        ByteBuffer bytes = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        type.encode(bytes, 0);
        bytes.putShort(18, (short) entries.size());
        int at = HEADER_SIZE;
        int text = tableEnd;
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_16LE);
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_16LE);
            bytes.putInt(at, text).putInt(at + 4, text + key.length);
            bytes.putShort(at + 8, (short) key.length).putShort(at + 10, (short) value.length);
            bytes.put(text, key).put(text + key.length, value);
            text += key.length + value.length;
            at += ENTRY_SIZE;
        }
        return bytes;
    }
}

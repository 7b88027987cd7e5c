package org.disklens.content.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A short (8.3) directory entry, 32 bytes (fatgen103, section 6):
 * <pre>
 *  0 DIR_Name (8 + 3, space-padded; 0xE5 first byte: deleted, 0x05: a name starting with 0xE5, 0x00: end)
 * 11 DIR_Attr (0x01 read-only, 0x02 hidden, 0x04 system, 0x08 volume label, 0x10 directory, 0x20 archive)
 * 12 DIR_NTRes (Windows NT: 0x08 base name in lower case, 0x10 extension in lower case)
 * 20 DIR_FstClusHI (FAT32 only)   22 DIR_WrtTime   24 DIR_WrtDate   26 DIR_FstClusLO   28 DIR_FileSize
 * </pre>
 * Creation (13-17) and access (18) times are not read.
 */
record ShortEntry(String rawName, int attributes, int caseFlags, long firstCluster, long size,
                  Optional<Instant> modified) {
    static final int SIZE = 32;
    static final int ATTR_VOLUME_ID = 0x08;
    static final int ATTR_DIRECTORY = 0x10;
    static final int LOWER_BASE = 0x08;
    static final int LOWER_EXTENSION = 0x10;

    /**
     * The entry at {@code at} of {@code bytes} (absolute reads, in little-endian order whatever the buffer's); FAT12/16
     * keep no high cluster half (OS/2 kept an EA handle there).
     */
    static ShortEntry parse(ByteBuffer bytes, int at, boolean fat32) {
        ByteBuffer slot = bytes.order() == ByteOrder.LITTLE_ENDIAN ? bytes : bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = new byte[11];
        slot.get(at, name);
        long high = fat32 ? Short.toUnsignedInt(slot.getShort(at + 20)) : 0;
        long cluster = high << 16 | Short.toUnsignedInt(slot.getShort(at + 26));
        return new ShortEntry(new String(name, StandardCharsets.ISO_8859_1), Byte.toUnsignedInt(slot.get(at + 11)),
                Byte.toUnsignedInt(slot.get(at + 12)), cluster, Integer.toUnsignedLong(slot.getInt(at + 28)),
                FatTime.decode(Short.toUnsignedInt(slot.getShort(at + 24)), Short.toUnsignedInt(slot.getShort(at + 22))));
    }

    boolean directory() {
        return (attributes & ATTR_DIRECTORY) != 0;
    }

    /** {@code .} and {@code ..}, which every subdirectory starts with. */
    boolean dotEntry() {
        return rawName.equals(".          ") || rawName.equals("..         ");
    }

    /**
     * The name as Linux shows it: base and extension without their padding, joined by a dot, in CP437, lower-cased
     * where the NT flags say so; a leading 0x05 stands for 0xE5.
     */
    String name() {
        String raw = rawName.charAt(0) == 0x05 ? (char) 0xE5 + rawName.substring(1) : rawName;
        String base = decode(raw.substring(0, 8), (caseFlags & LOWER_BASE) != 0);
        String extension = decode(raw.substring(8), (caseFlags & LOWER_EXTENSION) != 0);
        return extension.isEmpty() ? base : base + "." + extension;
    }

    private static String decode(String raw, boolean lower) {
        int end = raw.length();
        while (end > 0 && raw.charAt(end - 1) == ' ') {
            end--;
        }
        StringBuilder text = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            text.append(Cp437.decode(raw.charAt(i)));
        }
        return lower ? text.toString().toLowerCase(Locale.ROOT) : text.toString();
    }

    /** The checksum long-name slots carry of their short entry (fatgen103, ChkSum): rotate right, add. */
    int checksum() {
        int sum = 0;
        for (int i = 0; i < 11; i++) {
            sum = (((sum & 1) << 7) + (sum >>> 1) + rawName.charAt(i)) & 0xff;
        }
        return sum;
    }
}

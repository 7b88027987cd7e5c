package org.disklens.content;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Text fields of on-disk structures, spelled as blkid spells them. */
public final class OnDiskText {
    private OnDiskText() {
    }

    /** {@code length} bytes at {@code at}, one character each. */
    public static String ascii(ByteBuffer bytes, int at, int length) {
        byte[] raw = new byte[length];
        bytes.get(at, raw);
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** A NUL-terminated UTF-8 field of {@code length} bytes, stripped of padding. */
    public static String text(ByteBuffer bytes, int at, int length) {
        byte[] raw = new byte[length];
        bytes.get(at, raw);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8).strip();
    }

    /** A 16-byte UUID in the usual 8-4-4-4-12 lower-case spelling. */
    public static String uuid(ByteBuffer bytes, int at) {
        byte[] raw = new byte[16];
        bytes.get(at, raw);
        String hex = HexFormat.of().formatHex(raw);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20)
                + "-" + hex.substring(20);
    }

    /** A FAT or exFAT volume serial: {@code 1A2B-3C4D}. */
    public static String serial(int serial) {
        return "%04X-%04X".formatted(serial >>> 16, serial & 0xffff);
    }
}

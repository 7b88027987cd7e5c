package org.disklens.image.vhdx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A Microsoft GUID as VHDX stores it: 16 bytes, the first three groups little-endian ({@code data1} u32,
 * {@code data2} u16, {@code data3} u16), the last eight bytes as they are. Kept as its raw bytes (two longs read
 * big-endian) so that equality is byte equality; shown the way Windows and the parent locator write it.
 */
record Guid(long high, long low) {
    static final Guid ZERO = new Guid(0, 0);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads 16 bytes at {@code offset} of {@code bytes} (absolute, the position is left alone). */
    static Guid parse(ByteBuffer bytes, int offset) {
        ByteBuffer raw = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        return new Guid(raw.getLong(offset), raw.getLong(offset + 8));
    }

    /** Writes the 16 raw bytes at {@code offset} of {@code bytes}. */
    void encode(ByteBuffer bytes, int offset) {
        ByteBuffer raw = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        raw.putLong(offset, high);
        raw.putLong(offset + 8, low);
    }

    /** A random (version 4) GUID, as qemu and Hyper-V generate them. */
    static Guid random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[7] = (byte) ((bytes[7] & 0x0f) | 0x40); // data3's high nibble (little-endian: byte 7)
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        return parse(ByteBuffer.wrap(bytes), 0);
    }

    /** From its text form, with or without braces ({@code {83ed0ec3-24c8-49a6-a959-5e4bf1288bfb}}). */
    static Guid fromText(String text) {
        String hex = text.strip();
        if (hex.startsWith("{") && hex.endsWith("}")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        if (!hex.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("not a GUID: " + text);
        }
        byte[] groups = HexFormat.of().parseHex(hex.replace("-", ""));
        ByteBuffer raw = ByteBuffer.allocate(16);
        raw.put(groups[3]).put(groups[2]).put(groups[1]).put(groups[0]);
        raw.put(groups[5]).put(groups[4]).put(groups[7]).put(groups[6]);
        raw.put(groups, 8, 8);
        return parse(raw, 0);
    }

    boolean isZero() {
        return high == 0 && low == 0;
    }

    @Override
    public String toString() {
        ByteBuffer raw = ByteBuffer.allocate(16);
        encode(raw, 0);
        ByteBuffer little = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        String tail = HexFormat.of().formatHex(raw.array(), 8, 16);
        return String.format(Locale.ROOT, "%08x-%04x-%04x-%s-%s", little.getInt(0), little.getShort(4) & 0xffff,
                little.getShort(6) & 0xffff, tail.substring(0, 4), tail.substring(4));
    }

    /** The parent locator's spelling: lowercase, in braces. */
    String braced() {
        return "{" + this + "}";
    }
}

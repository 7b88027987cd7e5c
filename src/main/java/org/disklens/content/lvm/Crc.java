package org.disklens.content.lvm;

import java.nio.ByteBuffer;

/**
 * LVM2's checksum ({@code calc_crc}): the reflected CRC-32 polynomial 0xEDB88320, started at 0xF597A6CF and never
 * inverted, so unlike {@link java.util.zip.CRC32} it can be continued over the two parts of a wrapped metadata text.
 */
final class Crc {
    static final int INITIAL = 0xf597a6cf;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc() {
    }

    /** Continues {@code crc} over {@code length} bytes of {@code bytes} from {@code at}. */
    static int update(int crc, ByteBuffer bytes, int at, int length) {
        int value = crc;
        for (int i = at; i < at + length; i++) {
            value = (value >>> 8) ^ TABLE[(value ^ bytes.get(i)) & 0xff];
        }
        return value;
    }

    static int of(ByteBuffer bytes, int at, int length) {
        return update(INITIAL, bytes, at, length);
    }
}

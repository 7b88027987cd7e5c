package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The checksums ext4 keeps, computed as the kernel does. {@link #crc32c} is the kernel's {@code crc32c(seed, bytes)}:
 * the register continued from {@code seed}, with no final inversion (the JDK's {@link CRC32C} starts from all ones and
 * inverts at the end, so its value is turned back, and a seed other than all ones is applied by shifting it through
 * as many zero bytes as the data has, which is linear in GF(2)). {@link #crc16} is the older {@code gdt_csum}.
 */
final class Checksums {
    static final int CRC32C_INITIAL = 0xFFFFFFFF;
    /** CRC-32C's polynomial, bit-reversed. */
    private static final int CRC32C_POLY = 0x82F63B78;
    private static final int[] CRC16_TABLE = crc16Table();
    /** Zero-byte shift operators by length: ext4 checksums a handful of lengths (4, 16, inode, block, descriptor). */
    private static final ConcurrentHashMap<Integer, int[]> SHIFTS = new ConcurrentHashMap<>();

    private Checksums() {
    }

    /** The kernel's {@code crc32c(seed, bytes)} over {@code bytes}' remaining bytes (its position is left alone). */
    static int crc32c(int seed, ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        int fromAllOnes = ~(int) crc.getValue();
        if (seed == CRC32C_INITIAL) {
            return fromAllOnes;
        }
        return fromAllOnes ^ apply(shiftOperator(bytes.remaining()), seed ^ CRC32C_INITIAL);
    }

    /** The kernel's crc32c over a little-endian 32-bit number. */
    static int crc32c(int seed, int value) {
        return crc32c(seed, ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /** e2fsprogs' {@code ext2fs_crc16(crc, bytes)} (CRC-16/ARC, no inversions). */
    static int crc16(int seed, ByteBuffer bytes) {
        int crc = seed & 0xFFFF;
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            crc = (crc >>> 8) ^ CRC16_TABLE[(crc ^ bytes.get(i)) & 0xFF];
        }
        return crc;
    }

    private static int[] crc16Table() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
            table[n] = crc;
        }
        return table;
    }

    /** The 32x32 bit matrix that advances the CRC register over {@code length} zero bytes. */
    private static int[] shiftOperator(int length) {
        return SHIFTS.computeIfAbsent(length, Checksums::power);
    }

    private static int[] power(int length) {
        int[] oneBit = new int[32];
        oneBit[0] = CRC32C_POLY;
        for (int n = 1; n < 32; n++) {
            oneBit[n] = 1 << (n - 1);
        }
        int[] base = square(square(square(oneBit)));
        int[] result = null;
        for (int left = length; left > 0; left >>>= 1) {
            if ((left & 1) != 0) {
                result = result == null ? base : compose(base, result);
            }
            if (left > 1) {
                base = square(base);
            }
        }
        if (result == null) {
            result = new int[32];
            for (int n = 0; n < 32; n++) {
                result[n] = 1 << n;
            }
        }
        return result;
    }

    private static int apply(int[] matrix, int vector) {
        int sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static int[] square(int[] matrix) {
        return compose(matrix, matrix);
    }

    /** {@code outer} after {@code inner}. */
    private static int[] compose(int[] outer, int[] inner) {
        int[] result = new int[32];
        for (int n = 0; n < 32; n++) {
            result[n] = apply(outer, inner[n]);
        }
        return result;
    }
}

package org.disklens.crypto;

import java.util.Locale;
import java.util.Optional;

/**
 * One data unit (a disk sector) encrypted or decrypted in place, its IV or tweak derived from the sector number as
 * dm-crypt derives it. The ciphers LUKS volumes use, in dm-crypt's names ({@code cipher-chainmode-ivmode}):
 * <ul>
 *   <li>{@code aes-xts-plain64} (cryptsetup's default), {@code aes-xts-plain}: {@link Xts}, keys of 32 or 64 bytes (two
 *       AES-128 or AES-256 keys); the tweak is the sector number, little-endian (plain: its low 32 bits).</li>
 *   <li>{@code aes-cbc-essiv:sha256}, {@code aes-cbc-plain64}, {@code aes-cbc-plain}: {@link Cbc}, keys of 16 or 32
 *       bytes.</li>
 * </ul>
 * Instances are thread-safe (one cipher state, used under the instance's lock).
 */
public abstract sealed class SectorCipher implements AutoCloseable permits Xts, Cbc {
    /** How the IV or tweak follows from the sector number. */
    enum IvMode { PLAIN, PLAIN64, ESSIV_SHA256 }

    /** Decrypts one data unit of {@code length} bytes at {@code offset}, whose IV sector number is {@code ivSector}. */
    public abstract void decrypt(long ivSector, byte[] data, int offset, int length);

    /** Encrypts one data unit in place (tests, and encrypted outputs). */
    public abstract void encrypt(long ivSector, byte[] data, int offset, int length);

    /** The key length this cipher was made with, in bytes. */
    public abstract int keyBytes();

    /** Zeroes the key bytes this object holds. */
    @Override
    public abstract void close();

    /** Why {@code spec} with a key of {@code keyBytes} cannot be used, if it cannot. */
    public static Optional<String> problem(String spec, int keyBytes) {
        String normal = spec.toLowerCase(Locale.ROOT);
        boolean xts = normal.equals("aes-xts-plain64") || normal.equals("aes-xts-plain");
        boolean cbc = normal.equals("aes-cbc-essiv:sha256") || normal.equals("aes-cbc-plain64") || normal.equals("aes-cbc-plain");
        if (!xts && !cbc) {
            return Optional.of("cipher '%s' is not supported (DiskLens reads aes-xts-plain64, aes-xts-plain, "
                    .formatted(Hashes.printable(spec)) + "aes-cbc-essiv:sha256, aes-cbc-plain64, aes-cbc-plain)");
        }
        if (xts && keyBytes != 32 && keyBytes != 64) {
            return Optional.of("a key of %d bytes does not suit %s (32 or 64 bytes)".formatted(keyBytes, normal));
        }
        if (cbc && keyBytes != 16 && keyBytes != 32) {
            return Optional.of("a key of %d bytes does not suit %s (16 or 32 bytes)".formatted(keyBytes, normal));
        }
        return Optional.empty();
    }

    /** The cipher {@code spec} (checked with {@link #problem}) keyed with a copy of {@code key}. */
    public static SectorCipher of(String spec, byte[] key) {
        Optional<String> problem = problem(spec, key.length);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return switch (spec.toLowerCase(Locale.ROOT)) {
            case "aes-xts-plain64" -> new Xts(key, IvMode.PLAIN64);
            case "aes-xts-plain" -> new Xts(key, IvMode.PLAIN);
            case "aes-cbc-essiv:sha256" -> new Cbc(key, IvMode.ESSIV_SHA256);
            case "aes-cbc-plain64" -> new Cbc(key, IvMode.PLAIN64);
            default -> new Cbc(key, IvMode.PLAIN);
        };
    }

    /** The sector number as the IV mode uses it: plain keeps its low 32 bits. */
    static long ivNumber(IvMode mode, long sector) {
        return mode == IvMode.PLAIN ? sector & 0xffff_ffffL : sector;
    }
}

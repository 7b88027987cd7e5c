package org.disklens.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.UnsupportedFeature;

/**
 * Makes a new LUKS1 header with one key slot, laid out as qemu's {@code crypto/block-luks} lays it out (and as
 * {@code qemu-img create -f luks} writes it): the 592-byte header in the first 4096 bytes; 8 key slot areas of
 * {@code key-bytes × 4000} bytes each, rounded up to 8 sectors, from sector 8 on (slot 0 enabled, the others disabled
 * with their offsets and stripes set, no salt, no iterations); the payload after the last area (sector 4040 for a
 * 64-byte key). PBKDF2 counts are calibrated as qemu calibrates them: the iterations per second measured on this
 * machine, times {@code iter-time} ms for the key slot, an eighth of that for the master key digest (qemu follows
 * cryptsetup there), at least 1000 each.
 */
public final class Luks1Writer {
    /** qemu's names and defaults ({@code cipher-alg=aes-256}, {@code cipher-mode=xts}, …, {@code iter-time=2000}). */
    public record Params(String cipherAlg, String cipherMode, String ivgenAlg, Optional<String> ivgenHashAlg,
                         String hashAlg, long iterTimeMs) {
        /** The values qemu accepts for each option (DiskLens refuses some of them by name: {@link #problem()}). */
        public static final List<String> CIPHER_ALGS = List.of("aes-128", "aes-192", "aes-256", "des", "3des",
                "cast5-128", "serpent-128", "serpent-192", "serpent-256", "twofish-128", "twofish-192", "twofish-256", "sm4");
        public static final List<String> CIPHER_MODES = List.of("ecb", "cbc", "xts", "ctr");
        public static final List<String> IVGEN_ALGS = List.of("plain", "plain64", "essiv");
        public static final List<String> HASH_ALGS = List.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512",
                "ripemd160", "sm3");

        public static Params defaults() {
            return new Params("aes-256", "xts", "plain64", Optional.empty(), "sha256", 2000);
        }

        /**
         * qemu-img's LUKS creation options, each named {@code prefix + name} ({@code encrypt.} for qcow2): values qemu
         * does not know are refused in its words, those DiskLens does not write by name; {@code key-secret} (a qemu
         * {@code --object secret}) is refused with the way DiskLens takes a passphrase.
         */
        public static Params parse(OptionValues options, String prefix) throws InvalidRequest {
            if (options.text(prefix + "key-secret").isPresent()) {
                throw new InvalidRequest("'%skey-secret' names a qemu --object secret; give the passphrase with "
                        .formatted(prefix) + "--target-passphrase-file FILE");
            }
            Params defaults = defaults();
            String cipherAlg = options.choice(prefix + "cipher-alg", CIPHER_ALGS).orElse(defaults.cipherAlg());
            String cipherMode = options.choice(prefix + "cipher-mode", CIPHER_MODES).orElse(defaults.cipherMode());
            String ivgenAlg = options.choice(prefix + "ivgen-alg", IVGEN_ALGS).orElse(defaults.ivgenAlg());
            Optional<String> ivgenHash = options.choice(prefix + "ivgen-hash-alg", HASH_ALGS);
            String hashAlg = options.choice(prefix + "hash-alg", HASH_ALGS).orElse(defaults.hashAlg());
            long iterTime = options.number(prefix + "iter-time").orElse(defaults.iterTimeMs());
            Params params = new Params(cipherAlg, cipherMode, ivgenAlg, ivgenHash, hashAlg, iterTime);
            Optional<String> problem = params.problem();
            if (problem.isPresent()) {
                throw new InvalidRequest(problem.get());
            }
            return params;
        }

        public Params withIterTime(long ms) {
            return new Params(cipherAlg, cipherMode, ivgenAlg, ivgenHashAlg, hashAlg, ms);
        }

        /** Why DiskLens cannot write this combination, in one sentence, if it cannot. */
        public Optional<String> problem() {
            if (!cipherAlg.equals("aes-128") && !cipherAlg.equals("aes-256")) {
                return Optional.of("cipher-alg '%s' is not supported (DiskLens writes aes-128 and aes-256)".formatted(cipherAlg));
            }
            if (!cipherMode.equals("xts") && !cipherMode.equals("cbc")) {
                return Optional.of("cipher-mode '%s' is not supported (DiskLens writes xts and cbc)".formatted(cipherMode));
            }
            if (ivgenAlg.equals("essiv") && (!cipherMode.equals("cbc") || !ivgenHashAlg.orElse("sha256").equals("sha256"))) {
                return Optional.of("ivgen-alg 'essiv' is supported with cipher-mode cbc and ivgen-hash-alg sha256 only");
            }
            if (!Hashes.known(hashAlg)) {
                return Optional.of("hash-alg '%s' is not supported (DiskLens computes sha1, sha224, sha256, sha384, sha512)"
                        .formatted(hashAlg));
            }
            if (iterTimeMs < 0) {
                return Optional.of("iter-time must not be negative");
            }
            return SectorCipher.problem(cipherSpec(), keyBytes());
        }

        /** The cipher in dm-crypt's words ({@code aes-xts-plain64}, {@code aes-cbc-essiv:sha256}). */
        public String cipherSpec() {
            return "aes-" + headerMode();
        }

        /** The header's cipher mode field ({@code xts-plain64}, {@code cbc-essiv:sha256}). */
        String headerMode() {
            return cipherMode + "-" + (ivgenAlg.equals("essiv") ? "essiv:" + ivgenHashAlg.orElse("sha256") : ivgenAlg);
        }

        /** The volume key's length: XTS takes two AES keys. */
        public int keyBytes() {
            int aes = cipherAlg.equals("aes-128") ? 16 : cipherAlg.equals("aes-192") ? 24 : 32;
            return cipherMode.equals("xts") ? 2 * aes : aes;
        }
    }

    /** A new header: {@link #payloadOffset()} bytes to write at the start of the volume, and the key of its payload. */
    public record Created(byte[] header, VolumeKey key, String cipherSpec) {
        public long payloadOffset() {
            return header.length;
        }

        @Override
        public String toString() {
            return "Luks1Writer.Created[%s, payload at 0x%x]".formatted(cipherSpec, header.length);
        }
    }

    static final int STRIPES = 4000;
    static final int SECTOR = 512;
    /** The key slot areas start after the first 4096 bytes, and each is a multiple of 8 sectors (qemu's). */
    static final int HEADER_SECTORS = 4096 / SECTOR;
    private static final int SALT = 32;
    private static final int DIGEST = 20;
    private static final long MIN_ITERATIONS = 1000;

    private Luks1Writer() {
    }

    /** The payload offset of a header with these parameters, in bytes (for measuring before anything is derived). */
    public static long payloadOffset(Params params) {
        return (HEADER_SECTORS + 8L * areaSectors(params.keyBytes())) * SECTOR;
    }

    private static long areaSectors(int keyBytes) {
        long sectors = Math.ceilDiv((long) keyBytes * STRIPES, SECTOR);
        return Math.ceilDiv(sectors, HEADER_SECTORS) * HEADER_SECTORS;
    }

    /** A header with a random volume key, key slot 0 opened by {@code passphrase}. */
    public static Created create(Params params, Passphrase passphrase) throws UnsupportedFeature {
        return create(params, passphrase, new SecureRandom());
    }

    static Created create(Params params, Passphrase passphrase, SecureRandom random) throws UnsupportedFeature {
        Optional<String> problem = params.problem();
        if (problem.isPresent()) {
            throw new UnsupportedFeature(problem.get());
        }
        int keyBytes = params.keyBytes();
        String hash = params.hashAlg().toLowerCase(Locale.ROOT);
        byte[] masterKey = new byte[keyBytes];
        random.nextBytes(masterKey);
        byte[] digestSalt = new byte[SALT];
        random.nextBytes(digestSalt);
        byte[] slotSalt = new byte[SALT];
        random.nextBytes(slotSalt);
        long areaSectors = areaSectors(keyBytes);
        long payloadSectors = HEADER_SECTORS + 8 * areaSectors;
        byte[] header = new byte[Math.toIntExact(payloadSectors * SECTOR)];
        byte[] slotKey = null;
        byte[] material = null;
        try {
            long perSecond = iterationsPerSecond(hash, masterKey, digestSalt, DIGEST, params.iterTimeMs());
            long digestIterations = Math.max(MIN_ITERATIONS, capped(perSecond, params.iterTimeMs()) / 8);
            byte[] digest = Pbkdf2.derive(hash, masterKey, digestSalt, digestIterations, DIGEST);

            perSecond = iterationsPerSecond(hash, passphrase.raw(), slotSalt, keyBytes, params.iterTimeMs());
            long slotIterations = Math.max(MIN_ITERATIONS, capped(perSecond, params.iterTimeMs()));
            slotKey = Pbkdf2.derive(hash, passphrase.raw(), slotSalt, slotIterations, keyBytes);
            material = AfSplitter.split(masterKey, STRIPES, hash, random);
            try (SectorCipher cipher = SectorCipher.of(params.cipherSpec(), slotKey)) {
                for (int sector = 0; sector * SECTOR < material.length; sector++) {
                    cipher.encrypt(sector, material, sector * SECTOR, SECTOR);
                }
            }
            System.arraycopy(material, 0, header, Math.toIntExact(HEADER_SECTORS * (long) SECTOR), material.length);

            ByteBuffer out = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
            out.put(0, Luks1Header.MAGIC).putShort(6, (short) 1);
            text(out, 8, 32, "aes");
            text(out, 40, 32, params.headerMode());
            text(out, 72, 32, hash);
            out.putInt(104, (int) payloadSectors).putInt(108, keyBytes);
            out.put(112, digest).put(132, digestSalt).putInt(164, (int) digestIterations);
            text(out, 168, 40, UUID.randomUUID().toString());
            for (int slot = 0; slot < 8; slot++) {
                int at = 208 + slot * 48;
                out.putInt(at, slot == 0 ? 0x00AC71F3 : 0x0000DEAD);
                if (slot == 0) {
                    out.putInt(at + 4, (int) slotIterations).put(at + 8, slotSalt);
                }
                out.putInt(at + 40, (int) (HEADER_SECTORS + slot * areaSectors)).putInt(at + 44, STRIPES);
            }
            return new Created(header, new VolumeKey(masterKey), params.cipherSpec());
        } finally {
            Arrays.fill(masterKey, (byte) 0);
            if (slotKey != null) {
                Arrays.fill(slotKey, (byte) 0);
            }
            if (material != null) {
                Arrays.fill(material, (byte) 0);
            }
        }
    }

    /** Iterations for {@code iterTimeMs}, kept within the header's unsigned 32 bits and DiskLens's own read limit. */
    private static long capped(long perSecond, long iterTimeMs) {
        long iterations = Math.multiplyHigh(perSecond, iterTimeMs) != 0 ? Long.MAX_VALUE : perSecond * iterTimeMs / 1000;
        return Math.min(iterations, 100_000_000L / 2);
    }

    /**
     * PBKDF2 iterations per second here, measured as qemu measures them (a doubling run until it takes long enough);
     * the run is shorter for a short {@code iter-time}, so that tests stay fast.
     */
    static long iterationsPerSecond(String hash, byte[] password, byte[] salt, int length, long iterTimeMs)
            throws UnsupportedFeature {
        long budgetNanos = Math.clamp(iterTimeMs / 4, 20, 500) * 1_000_000L;
        long iterations = 1 << 12;
        while (true) {
            long start = System.nanoTime();
            Arrays.fill(Pbkdf2.derive(hash, password, salt, iterations, length), (byte) 0);
            long elapsed = System.nanoTime() - start;
            if (elapsed >= budgetNanos || iterations >= 1L << 30) {
                return Math.max(1, iterations * 1_000_000_000L / Math.max(1, elapsed));
            }
            iterations *= 2;
        }
    }

    private static void text(ByteBuffer out, int at, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        out.put(at, bytes, 0, Math.min(length - 1, bytes.length));
    }
}

package org.disklens.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A key slot as unlocking tries it, LUKS1's and LUKS2's alike: the passphrase goes through the slot's KDF to the key of
 * its area, the area (the AF-split volume key, encrypted in 512-byte sectors numbered from 0) is decrypted and merged,
 * and the candidate is the volume key when the header's digest of it matches.
 *
 * @param name          how messages name it: {@code luks2: keyslot 1}
 * @param priority      LUKS2's: 2 high, 1 normal, 0 never tried unless asked for by number (not done here)
 * @param problem       why this slot cannot be tried (damage, limits), found while reading the header
 * @param areaBytes     the encrypted key material's length: key bytes × stripes, in whole sectors
 */
record Keyslot(String name, int priority, Optional<ImageException> problem, Kdf kdf, long areaOffset, int areaBytes,
               String areaCipher, int areaKeyBytes, int keyBytes, int stripes, String afHash, Digest digest) {
    /** LUKS1's and cryptsetup's own ceiling is 4000; more than this is hostile (the key material grows with it). */
    static final int MAX_STRIPES = 65_536;

    /** A slot that can only report why it cannot be tried. */
    static Keyslot broken(String name, int priority, ImageException problem) {
        return new Keyslot(name, priority, Optional.of(problem), null, 0, 0, "", 0, 0, 0, "", null);
    }

    /** How a passphrase becomes the area's key. */
    sealed interface Kdf {
        /** {@code LimitExceeded} when the derivation would cost more than {@code limits} allow. */
        void check(KdfLimits limits, String format, String where) throws ImageException;

        byte[] derive(byte[] passphrase, int length) throws ImageException;
    }

    record Pbkdf2Kdf(String hash, byte[] salt, long iterations) implements Kdf {
        @Override
        public void check(KdfLimits limits, String format, String where) throws ImageException {
            checkIterations(iterations, limits, format, where);
        }

        @Override
        public byte[] derive(byte[] passphrase, int length) throws ImageException {
            return Pbkdf2.derive(hash, passphrase, salt, iterations, length);
        }
    }

    record Argon2Kdf(Argon2.Type type, byte[] salt, long time, long memoryKib, long parallelism) implements Kdf {
        /** Argon2's own bound on lanes (2^24 - 1). */
        static final long MAX_LANES = (1 << 24) - 1;

        @Override
        public void check(KdfLimits limits, String format, String where) throws ImageException {
            String kdf = type == Argon2.Type.ARGON2I ? "argon2i" : "argon2id";
            if (time < 1 || parallelism < 1 || parallelism > MAX_LANES || memoryKib < 8 * parallelism) {
                throw new CorruptImage(format, where, -1, "%s with time %d, memory %d KiB, %d threads is not valid Argon2"
                        .formatted(kdf, time, memoryKib, parallelism));
            }
            if (time > limits.maxArgon2Time()) {
                throw new LimitExceeded(format, where, -1, "%s time cost %d exceeds the limit of %,d: it would run for hours"
                        .formatted(kdf, time, limits.maxArgon2Time()));
            }
            if (memoryKib > limits.maxArgon2MemoryKib()) {
                throw new LimitExceeded(format, where, -1, "%s memory of %s exceeds the limit of %s"
                        .formatted(kdf, kib(memoryKib), kib(limits.maxArgon2MemoryKib())));
            }
            Runtime runtime = Runtime.getRuntime();
            long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
            if (memoryKib * 1024 + (memoryKib * 1024 >> 3) > available) {
                System.gc();
                available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
                if (memoryKib * 1024 + (memoryKib * 1024 >> 3) > available) {
                    throw new LimitExceeded(format, where, -1, "%s needs %s of memory and this Java process has %s free "
                            .formatted(kdf, kib(memoryKib), kib(available / 1024)) + "(raise -Xmx)");
                }
            }
        }

        @Override
        public byte[] derive(byte[] passphrase, int length) {
            return Argon2.derive(type, passphrase, salt, (int) time, (int) memoryKib, (int) parallelism, length);
        }
    }

    /** The header's check of a candidate volume key: PBKDF2 of it, compared with the stored digest. */
    record Digest(String name, String hash, byte[] salt, long iterations, byte[] digest) {
        boolean matches(byte[] candidate) throws ImageException {
            byte[] computed = Pbkdf2.derive(hash, candidate, salt, iterations, digest.length);
            try {
                return MessageDigest.isEqual(computed, digest);
            } finally {
                Arrays.fill(computed, (byte) 0);
            }
        }
    }

    static void checkIterations(long iterations, KdfLimits limits, String format, String where) throws ImageException {
        if (iterations < 1) {
            throw new CorruptImage(format, where, -1, "PBKDF2 with %d iterations".formatted(iterations));
        }
        if (iterations > limits.maxPbkdf2Iterations()) {
            throw new LimitExceeded(format, where, -1, "%d PBKDF2 iterations exceed the limit of %,d: it would run for hours"
                    .formatted(iterations, limits.maxPbkdf2Iterations()));
        }
    }

    static String kib(long kib) {
        if (kib >= 1L << 30 && kib % (1L << 30) == 0) {
            return (kib >> 30) + " TiB";
        }
        if (kib >= 1L << 20 && kib % (1L << 20) == 0) {
            return (kib >> 20) + " GiB";
        }
        if (kib >= 1L << 10) {
            return (kib >> 10) + " MiB";
        }
        return kib + " KiB";
    }

    /**
     * The volume key that one of {@code slots} opens with {@code passphrase}, trying them by priority (high first, in
     * their order otherwise). When none opens: the first slot's refusal if some slot could not be tried, else
     * {@link WrongPassphrase}.
     */
    static VolumeKey unlock(String format, List<Keyslot> slots, BlockSource volume, Passphrase passphrase,
                            KdfLimits limits) throws IOException {
        List<Keyslot> ordered = new ArrayList<>(slots.stream().filter(slot -> slot.priority() > 0).toList());
        ordered.sort(Comparator.comparingInt(Keyslot::priority).reversed());
        List<ImageException> refusals = new ArrayList<>();
        for (Keyslot slot : ordered) {
            if (slot.problem().isPresent()) {
                refusals.add(slot.problem().get());
                continue;
            }
            try {
                slot.kdf().check(limits, format, slot.name());
                checkIterations(slot.digest().iterations(), limits, format, slot.digest().name());
            } catch (ImageException refused) {
                refusals.add(refused);
                continue;
            }
            Optional<VolumeKey> key = slot.open(volume, passphrase);
            if (key.isPresent()) {
                return key.get();
            }
        }
        if (!refusals.isEmpty()) {
            throw refusals.getFirst();
        }
        throw new WrongPassphrase();
    }

    /** The volume key if {@code passphrase} opens this slot. */
    private Optional<VolumeKey> open(BlockSource volume, Passphrase passphrase) throws IOException {
        byte[] areaKey = kdf.derive(passphrase.raw(), areaKeyBytes);
        byte[] material = new byte[areaBytes];
        byte[] candidate = null;
        try (SectorCipher cipher = SectorCipher.of(areaCipher, areaKey)) {
            volume.read(areaOffset, ByteBuffer.wrap(material));
            for (int sector = 0; sector * 512 < areaBytes; sector++) {
                cipher.decrypt(sector, material, sector * 512, 512);
            }
            candidate = AfSplitter.merge(material, keyBytes, stripes, afHash);
            return digest.matches(candidate) ? Optional.of(new VolumeKey(candidate)) : Optional.empty();
        } catch (UnsupportedFeature unsupported) {
            throw unsupported;
        } finally {
            Arrays.fill(areaKey, (byte) 0);
            Arrays.fill(material, (byte) 0);
            if (candidate != null) {
                Arrays.fill(candidate, (byte) 0);
            }
        }
    }

    /** The encrypted key material's length for {@code keyBytes × stripes}: whole 512-byte sectors. */
    static long areaBytes(long keyBytes, long stripes) {
        return (keyBytes * stripes + 511) / 512 * 512;
    }
}

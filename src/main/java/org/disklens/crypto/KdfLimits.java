package org.disklens.crypto;

/**
 * How much work and memory a key derivation that a header asks for may cost before DiskLens refuses it: PBKDF2
 * iterations, Argon2 time cost (passes) and memory (KiB). The defaults allow anything cryptsetup makes on a big machine
 * with a long {@code --iter-time}; above them a hostile header would keep DiskLens busy for hours or exhaust memory.
 * Fuzz tests use {@link #FUZZ}, so that every input is cheap.
 */
public record KdfLimits(long maxPbkdf2Iterations, long maxArgon2Time, long maxArgon2MemoryKib) {
    /** 100,000,000 PBKDF2 iterations, Argon2 time cost 1,000, Argon2 memory 1 GiB (cryptsetup's maximum is 4 GiB). */
    public static final KdfLimits DEFAULT = new KdfLimits(100_000_000L, 1_000L, 1L << 20);

    /** For fuzzing: derivations of a few milliseconds. */
    public static final KdfLimits FUZZ = new KdfLimits(20_000L, 3L, 1024L);
}

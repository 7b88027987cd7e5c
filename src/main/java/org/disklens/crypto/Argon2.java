package org.disklens.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2i and Argon2id (RFC 9106, version 0x13, as LUKS2 key slots use them) through Bouncy Castle's
 * {@code Argon2BytesGenerator}, the only use of Bouncy Castle in DiskLens. Lanes are computed one after the other
 * in the calling thread; the memory asked for is allocated on the Java heap, so callers check it first.
 */
public final class Argon2 {
    /** The variants LUKS2 names {@code argon2i} and {@code argon2id}. */
    public enum Type {
        ARGON2I(Argon2Parameters.ARGON2_i), ARGON2ID(Argon2Parameters.ARGON2_id);

        private final int id;

        Type(int id) {
            this.id = id;
        }
    }

    private Argon2() {
    }

    /**
     * {@code length} bytes of Argon2; {@code memoryKib} at least {@code 8 × parallelism}, the other costs at least 1
     * (callers validate: Bouncy Castle's own checks throw {@code IllegalArgumentException}).
     */
    public static byte[] derive(Type type, byte[] password, byte[] salt, int time, int memoryKib, int parallelism,
                                int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(type.id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(time).withMemoryAsKB(memoryKib).withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}

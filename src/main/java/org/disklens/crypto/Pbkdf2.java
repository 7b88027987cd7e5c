package org.disklens.crypto;

import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import org.disklens.image.UnsupportedFeature;

/**
 * PBKDF2 (RFC 8018 section 5.2) over the JDK's HMACs. Not the JDK's {@code PBKDF2WithHmacSHA*} factories: they take
 * the password as {@code char[]} and encode it as UTF-8, while LUKS passphrases are arbitrary bytes. An empty password
 * is the HMAC key of one zero byte (both are padded with zeroes to the hash's block size, so they are the same key;
 * the JDK refuses empty keys).
 */
public final class Pbkdf2 {
    private Pbkdf2() {
    }

    /** {@code length} bytes of PBKDF2-HMAC-{@code hash} ({@code sha1}, {@code sha256}, {@code sha512}, …). */
    public static byte[] derive(String hash, byte[] password, byte[] salt, long iterations, int length)
            throws UnsupportedFeature {
        if (iterations < 1 || length < 1) {
            throw new IllegalArgumentException("PBKDF2 needs at least one iteration and one byte of output");
        }
        Mac mac = Hashes.mac(hash);
        RawKey key = new RawKey(Hashes.macAlgorithm(hash), password.length == 0 ? new byte[1] : password);
        try {
            mac.init(key);
        } catch (InvalidKeyException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            key.destroy();
        }
        int hashLength = mac.getMacLength();
        byte[] out = new byte[length];
        byte[] u = new byte[hashLength];
        byte[] t = new byte[hashLength];
        try {
            for (int block = 1, at = 0; at < length; block++, at += hashLength) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hashLength);
                for (long i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hashLength; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, at, Math.min(hashLength, length - at));
            }
        } catch (ShortBufferException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            mac.reset();
        }
        return out;
    }
}

package org.disklens.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Key bytes handed to the JDK's ciphers and MACs. Unlike {@code SecretKeySpec} (whose {@code destroy} is not
 * implemented), {@link #destroy()} zeroes the bytes; the JDK's own expanded key schedules stay out of reach.
 */
final class RawKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final String algorithm;
    private final byte[] bytes;
    private volatile boolean destroyed;

    RawKey(String algorithm, byte[] bytes, int from, int length) {
        this.algorithm = algorithm;
        this.bytes = Arrays.copyOfRange(bytes, from, from + length);
    }

    RawKey(String algorithm, byte[] bytes) {
        this(algorithm, bytes, 0, bytes.length);
    }

    @Override
    public String getAlgorithm() {
        return algorithm;
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        if (destroyed) {
            throw new IllegalStateException("the key was destroyed");
        }
        return bytes.clone();
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "RawKey[" + algorithm + ", hidden]";
    }
}

package org.disklens.crypto;

import java.util.Arrays;

/** The key that encrypts a volume's data (LUKS's master or volume key). {@link #close()} zeroes it. */
public final class VolumeKey implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean closed;

    public VolumeKey(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the key: the caller zeroes it after use. */
    public byte[] bytes() {
        if (closed) {
            throw new IllegalStateException("the volume key was closed");
        }
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public VolumeKey copy() {
        return new VolumeKey(bytes());
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "VolumeKey[" + bytes.length * 8 + " bits, hidden]";
    }
}

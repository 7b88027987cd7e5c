package org.disklens.crypto;

import java.util.Arrays;

/**
 * A passphrase as the bytes a key derivation takes (LUKS passphrases are bytes, not characters). {@link #close()}
 * zeroes them; {@link #toString()} never shows them.
 */
public final class Passphrase implements AutoCloseable {
    private final byte[] bytes;
    private volatile boolean closed;

    /** A passphrase holding a copy of {@code bytes} (the caller may zero its array at once). */
    public Passphrase(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A copy of the bytes: the caller zeroes it after use. */
    public byte[] bytes() {
        ensureOpen();
        return bytes.clone();
    }

    /** The bytes themselves, for the key derivations of this package: never kept, never changed. */
    byte[] raw() {
        ensureOpen();
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Another passphrase with the same bytes, closed independently. */
    public Passphrase copy() {
        return new Passphrase(raw());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the passphrase was closed");
        }
    }

    /** Zeroes the bytes. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Passphrase[hidden]";
    }
}

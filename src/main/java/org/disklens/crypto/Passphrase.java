package org.disklens.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    /**
     * The passphrase of a new encrypted output in {@code file} ({@code --target-passphrase-file}): its bytes less one
     * trailing newline ({@code \n} or {@code \r\n}), the same passphrase {@code --passphrase-file FILE} tries first.
     */
    public static Passphrase fromFile(Path file) throws IOException {
        byte[] bytes = readFile(file);
        try {
            return withoutTrailingNewline(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The bytes of a passphrase file, which the caller zeroes; a missing file is said in one line. */
    static byte[] readFile(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            throw new IOException("passphrase file %s: no such file".formatted(file));
        }
    }

    /** The passphrase in a file's {@code bytes} less one trailing newline ({@code \n} or {@code \r\n}). */
    static Passphrase withoutTrailingNewline(byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        byte[] kept = Arrays.copyOf(bytes, end);
        try {
            return new Passphrase(kept);
        } finally {
            Arrays.fill(kept, (byte) 0);
        }
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

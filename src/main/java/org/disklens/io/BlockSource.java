package org.disklens.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Positional, read-only bytes: a file, a slice of one, or memory. Format drivers only ever see this
 * (never a {@code Path}), so every parser can be fed bytes in a test.
 *
 * <p>Reads never come back short: {@link #read(long, ByteBuffer)} fills the buffer or throws
 * {@link EOFException} naming the position.
 */
public interface BlockSource extends Closeable {

    /** A name for messages: the file name, or a description of the slice. */
    String name();

    long size() throws IOException;

    /** Fills {@code dst} from {@code position} on, or throws {@link EOFException} if the source ends first. */
    void read(long position, ByteBuffer dst) throws IOException;

    /** Reads {@code length} bytes at {@code position} into a new buffer in the given byte order. */
    default ByteBuffer read(long position, int length, ByteOrder order) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        read(position, buffer);
        return buffer.flip();
    }

    /**
     * The run of equal allocation that starts at {@code position}: data, or a hole that reads as zeroes.
     * Sources that cannot tell report everything as data.
     */
    default HostExtent extentAt(long position) throws IOException {
        return new HostExtent(position, Math.max(0, size() - position), true);
    }

    /** Bytes the source really occupies on its storage (a sparse file's allocated blocks). */
    default long allocatedBytes() throws IOException {
        return size();
    }

    @Override
    default void close() throws IOException {
    }

    static EOFException pastEnd(String name, long position, long length, long size) {
        return new EOFException("%s: read of %d bytes at 0x%x is past the end of the file (0x%x bytes)"
                .formatted(name, length, position, size));
    }
}

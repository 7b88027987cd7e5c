package org.disklens.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Gathers small writes that follow each other in the file (compressed clusters, grain records) into large ones. */
public final class AppendBuffer {
    private final FileChannel channel;
    private final ByteBuffer pending;
    private long pendingOffset = -1;

    public AppendBuffer(FileChannel channel, int capacity) {
        this.channel = channel;
        this.pending = ByteBuffer.allocateDirect(capacity);
    }

    /** Writes {@code bytes} at {@code offset}, now or with the next flush. */
    public void put(long offset, ByteBuffer bytes) throws IOException {
        if (pendingOffset >= 0 && (pendingOffset + pending.position() != offset || pending.remaining() < bytes.remaining())) {
            flush();
        }
        if (bytes.remaining() > pending.capacity()) {
            FileWrites.writeFully(channel, bytes, offset);
            return;
        }
        if (pendingOffset < 0) {
            pendingOffset = offset;
        }
        pending.put(bytes);
    }

    public void flush() throws IOException {
        if (pendingOffset >= 0) {
            FileWrites.writeFully(channel, pending.flip(), pendingOffset);
            pending.clear();
            pendingOffset = -1;
        }
    }
}

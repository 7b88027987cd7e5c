package org.disklens.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Bytes in memory: for tests, fuzzers and small embedded structures. */
public final class MemoryBlockSource implements BlockSource {
    private final String name;
    private final ByteBuffer bytes;

    public MemoryBlockSource(String name, byte[] bytes) {
        this.name = name;
        this.bytes = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return bytes.capacity();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (position < 0 || position > size() - length) {
            throw BlockSource.pastEnd(name, position, length, size());
        }
        dst.put(bytes.slice((int) position, length));
    }
}

package org.disklens.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A window {@code [start, start + length)} of another source, seen from offset 0. Does not own the parent. */
public final class SliceBlockSource implements BlockSource {
    private final BlockSource parent;
    private final long start;
    private final long length;

    public SliceBlockSource(BlockSource parent, long start, long length) {
        this.parent = parent;
        this.start = start;
        this.length = length;
    }

    @Override
    public String name() {
        return parent.name();
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int count = dst.remaining();
        if (position < 0 || position > length - count) {
            throw BlockSource.pastEnd(name(), start + position, count, start + length);
        }
        parent.read(start + position, dst);
    }

    @Override
    public HostExtent extentAt(long position) throws IOException {
        HostExtent outer = parent.extentAt(start + position);
        long end = Math.min(outer.end(), start + length);
        return new HostExtent(position, Math.max(0, end - start - position), outer.data());
    }

    @Override
    public long allocatedBytes() throws IOException {
        return Math.min(length, parent.allocatedBytes());
    }
}

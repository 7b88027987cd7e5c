package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/** A readable LV's bytes, read piece by piece from its member volumes through its {@link ExtentMap}. */
final class LogicalVolumeSource implements BlockSource {
    private final String name;
    private final ExtentMap map;

    LogicalVolumeSource(String name, ExtentMap map) {
        this.name = name;
        this.map = map;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (position < 0 || position > map.size() - length) {
            throw BlockSource.pastEnd(name, position, length, map.size());
        }
        long at = position;
        while (dst.hasRemaining()) {
            ExtentMap.Piece piece = map.locate(at, dst.remaining());
            int count = (int) piece.length();
            piece.member().bytes().read(piece.memberOffset(), dst.slice(dst.position(), count));
            dst.position(dst.position() + count);
            at += count;
        }
    }

    /** The member's own allocation (data or hole) of the piece at {@code position}, cut at the piece's end. */
    @Override
    public HostExtent extentAt(long position) throws IOException {
        if (position < 0 || position >= map.size()) {
            return new HostExtent(position, 0, true);
        }
        ExtentMap.Piece piece = map.locate(position, map.size() - position);
        HostExtent inner = piece.member().bytes().extentAt(piece.memberOffset());
        long length = Math.min(piece.length(), inner.end() - piece.memberOffset());
        return length > 0 ? new HostExtent(position, length, inner.data()) : new HostExtent(position, piece.length(), true);
    }
}

package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * The file as it would be after its log was replayed, without writing it: reads come from the original file with the
 * log's writes laid over them (a later write over an earlier one), and the file is as long as the log says it
 * must be. The original file is never written; closing this closes it.
 */
final class ReplayedSource implements BlockSource {
    /** A run of replayed bytes: {@code data} (its length is the run's), or zeroes when null. */
    private record Piece(long start, long end, byte[] data) {
        Piece cut(long from, long to) {
            if (data == null) {
                return new Piece(from, to, null);
            }
            byte[] part = new byte[(int) (to - from)];
            System.arraycopy(data, (int) (from - start), part, 0, part.length);
            return new Piece(from, to, part);
        }
    }

    private final BlockSource base;
    private final NavigableMap<Long, Piece> pieces = new TreeMap<>();
    private long size;

    ReplayedSource(BlockSource base) throws IOException {
        this.base = base;
        this.size = base.size();
    }

    /** Lays {@code data} (or zeroes, when null) over {@code [start, start + length)}. */
    void write(long start, long length, byte[] data) {
        long end = start + length;
        Map.Entry<Long, Piece> before = pieces.lowerEntry(start);
        if (before != null && before.getValue().end() > start) {
            Piece old = before.getValue();
            pieces.put(old.start(), old.cut(old.start(), start));
            if (old.end() > end) {
                pieces.put(end, old.cut(end, old.end()));
            }
        }
        for (Map.Entry<Long, Piece> entry = pieces.ceilingEntry(start); entry != null && entry.getKey() < end;
             entry = pieces.ceilingEntry(start)) {
            Piece old = pieces.remove(entry.getKey());
            if (old.end() > end) {
                pieces.put(end, old.cut(end, old.end()));
            }
        }
        pieces.put(start, new Piece(start, end, data));
        size = Math.max(size, end);
    }

    /** Makes the file at least {@code length} bytes long (the log's LastFileOffset). */
    void extendTo(long length) {
        size = Math.max(size, length);
    }

    /** Whether the log changed anything. */
    boolean changed() throws IOException {
        return !pieces.isEmpty() || size != base.size();
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (position < 0 || position > size - length) {
            throw BlockSource.pastEnd(name(), position, length, size);
        }
        int start = dst.position();
        long baseSize = base.size();
        long fromBase = Math.max(0, Math.min(length, baseSize - position));
        if (fromBase > 0) {
            base.read(position, dst.duplicate().limit(start + (int) fromBase));
        }
        for (int i = (int) fromBase; i < length; i++) {
            dst.put(start + i, (byte) 0);
        }
        long end = position + length;
        Map.Entry<Long, Piece> first = pieces.floorEntry(position);
        long from = first != null && first.getValue().end() > position ? first.getKey() : position;
        for (Piece piece : pieces.subMap(from, true, end, false).values()) {
            long overlapStart = Math.max(piece.start(), position);
            long overlapEnd = Math.min(piece.end(), end);
            int at = start + (int) (overlapStart - position);
            int count = (int) (overlapEnd - overlapStart);
            if (count <= 0) {
                continue;
            }
            if (piece.data() == null) {
                for (int i = 0; i < count; i++) {
                    dst.put(at + i, (byte) 0);
                }
            } else {
                dst.put(at, piece.data(), (int) (overlapStart - piece.start()), count);
            }
        }
        dst.position(start + length);
    }

    /** Replayed runs are data; elsewhere the original file's allocation, and beyond its end a hole. */
    @Override
    public HostExtent extentAt(long position) throws IOException {
        Map.Entry<Long, Piece> covering = pieces.floorEntry(position);
        if (covering != null && covering.getValue().end() > position) {
            return new HostExtent(position, covering.getValue().end() - position, true);
        }
        Long next = pieces.higherKey(position);
        long limit = next == null ? size : next;
        long baseSize = base.size();
        if (position >= baseSize) {
            return new HostExtent(position, limit - position, false);
        }
        HostExtent extent = base.extentAt(position);
        long length = extent.length() > 0 ? Math.min(extent.length(), Math.min(limit, baseSize) - position)
                : Math.min(limit, baseSize) - position;
        return new HostExtent(position, length, extent.data());
    }

    @Override
    public long allocatedBytes() throws IOException {
        return base.allocatedBytes();
    }

    @Override
    public void close() throws IOException {
        base.close();
    }
}

package org.disklens.image.ova;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * The inflated bytes of a gzip-compressed appliance file ({@code ovf:compression="gzip"}), read at positions, without
 * ever writing them anywhere and in bounded memory, for a caller that reads (nearly) from start to end: a conversion.
 *
 * <p>{@link #open} inflates the whole file once: that learns the inflated size, checks every member's CRC-32 and
 * ISIZE ({@link GzipStream}) and stops past {@code limit} inflated bytes (a gzip bomb), so a damaged or hostile file
 * is one clear error before anything is written; the last {@link #TAIL_CHUNKS} chunks are kept (a streamOptimized
 * VMDK's footer and grain directory lie there). Reads then inflate forward: the most recently inflated bytes are
 * kept in {@link #CHUNK_BYTES} chunks, at most {@link #CACHED_CHUNKS} of them (least recently used dropped first), so
 * reads slightly out of order (a conversion's worker threads; a grain table written after its grains) are served
 * without going back; chunks not yet read are dropped only after every chunk already read. Up to {@link #CURSORS} inflaters read at once at different places (a disk whose grain tables
 * sit at the front, read while its grains are read further on); a read before every one of them that is not cached
 * restarts one (the least recently used) from the start of the file: {@link #restarts()} counts those.
 * Reads are synchronized: inflating is sequential anyway.
 */
final class InflatedMember implements BlockSource {
    static final int CHUNK_BYTES = 1 << 20;
    static final int CACHED_CHUNKS = 48;
    static final int TAIL_CHUNKS = 4;
    static final int CURSORS = 2;
    /** Inflated size allowed when the disk's capacity is not known: 1 TiB. */
    static final long UNKNOWN_CAPACITY_LIMIT = 1L << 40;
    private static final long GIB = 1L << 30;
    /** Restarts of every instance, for tests that run a whole command. */
    private static final AtomicLong ALL_RESTARTS = new AtomicLong();

    private final BlockSource compressed;
    private final String what;
    private final long size;
    private final int chunkBytes;
    private final int cachedChunks;
    private final int maxCursors;
    private final Map<Long, byte[]> tail;
    /** Chunks inflated and not read since, oldest first. */
    private final LinkedHashMap<Long, Kept> unread = new LinkedHashMap<>();
    /** Chunks read at least once, least recently read first. */
    private final LinkedHashMap<Long, Kept> read = new LinkedHashMap<>(16, 0.75f, true);
    /** Chunks inflated so far by all cursors: the age of an unread chunk. */
    private long inflatedChunks;
    private final List<Cursor> cursors = new ArrayList<>();
    private byte[] spare;
    private long restarts;
    private long uses;
    private boolean closed;

    /** A chunk kept, and when it was inflated (counted in chunks). */
    private record Kept(byte[] bytes, long inflated) {
    }

    /** One inflater and the position (a chunk boundary) of the next chunk it inflates. */
    private final class Cursor {
        GzipStream stream;
        long position;
        long lastUse;

        Cursor() throws IOException {
            stream = new GzipStream(compressed, what);
        }

        void restart() throws IOException {
            stream.close();
            stream = null;
            stream = new GzipStream(compressed, what);
            position = 0;
        }
    }

    private InflatedMember(BlockSource compressed, String what, long size, int chunkBytes, int cachedChunks,
                           int maxCursors, Map<Long, byte[]> tail) {
        this.compressed = compressed;
        this.what = what;
        this.size = size;
        this.chunkBytes = chunkBytes;
        this.cachedChunks = cachedChunks;
        this.maxCursors = maxCursors;
        this.tail = tail;
    }

    /** The inflated size allowed for a disk of {@code capacity} bytes: twice that plus 1 GiB, else 1 TiB. */
    static long limitFor(OptionalLong capacity) {
        if (capacity.isEmpty() || capacity.getAsLong() < 0) {
            return UNKNOWN_CAPACITY_LIMIT;
        }
        long twice = capacity.getAsLong() > (Long.MAX_VALUE - GIB) / 2 ? Long.MAX_VALUE - GIB : 2 * capacity.getAsLong();
        return twice + GIB;
    }

    /** How {@code limit} was set, for the error that stops at it. */
    static String limitReason(OptionalLong capacity) {
        return capacity.isPresent() && capacity.getAsLong() >= 0 ? "twice the disk's ovf:capacity plus 1 GiB"
                : "1 TiB, as the disk's ovf:capacity is not known";
    }

    /**
     * Inflates {@code compressed} once, checking it, and returns it ready to read; {@code what} starts every error
     * ({@code ova: disk 1 of x.ova (disk.vmdk.gz)}).
     */
    static InflatedMember open(BlockSource compressed, String what, long limit, String limitReason,
                               ProgressListener progress) throws IOException {
        return open(compressed, what, limit, limitReason, CHUNK_BYTES, CACHED_CHUNKS, TAIL_CHUNKS, CURSORS, progress);
    }

    static InflatedMember open(BlockSource compressed, String what, long limit, String limitReason, int chunkBytes,
                               int cachedChunks, int tailChunks, int cursors) throws IOException {
        return open(compressed, what, limit, limitReason, chunkBytes, cachedChunks, tailChunks, cursors,
                ProgressListener.NONE);
    }

    /**
     * The checking pass reports the compressed bytes it has read to {@code progress} (a conversion shows it before
     * its own), and stops with {@link java.util.concurrent.CancellationException} as soon as the user cancels.
     */
    static InflatedMember open(BlockSource compressed, String what, long limit, String limitReason, int chunkBytes,
                               int cachedChunks, int tailChunks, int cursors, ProgressListener progress)
            throws IOException {
        ArrayDeque<Long> tailOrder = new ArrayDeque<>();
        Map<Long, byte[]> tail = new HashMap<>();
        long produced = 0;
        try (GzipStream stream = new GzipStream(compressed, what)) {
            byte[] chunk = new byte[chunkBytes];
            while (true) {
                progress.checkCancelled();
                int count = fill(stream, chunk);
                progress.progress(stream.consumed(), stream.compressedSize());
                if (count == 0) {
                    break;
                }
                if (count > limit - produced) {
                    throw new LimitExceeded("%s: the gzip data inflates to more than %d bytes (the limit: %s); refused"
                            .formatted(what, limit, limitReason));
                }
                long index = produced / chunkBytes;
                byte[] kept = tailOrder.size() == tailChunks && tailChunks > 0 ? tail.remove(tailOrder.poll())
                        : new byte[chunkBytes];
                if (tailChunks > 0) {
                    System.arraycopy(chunk, 0, kept, 0, count);
                    tail.put(index, kept);
                    tailOrder.add(index);
                }
                produced += count;
                if (count < chunkBytes) {
                    break;
                }
            }
        }
        return new InflatedMember(compressed, what, produced, chunkBytes, cachedChunks, cursors, tail);
    }

    /** Inflates into the whole of {@code chunk}, or less at the end of the stream; returns how much. */
    private static int fill(GzipStream stream, byte[] chunk) throws IOException {
        int count = 0;
        while (count < chunk.length) {
            int more = stream.inflate(chunk, count, chunk.length - count);
            if (more == 0) {
                break;
            }
            count += more;
        }
        return count;
    }

    @Override
    public String name() {
        return compressed.name();
    }

    /** The inflated size. */
    @Override
    public long size() {
        return size;
    }

    @Override
    public synchronized void read(long position, ByteBuffer dst) throws IOException {
        int count = dst.remaining();
        if (position < 0 || position > size - count) {
            throw BlockSource.pastEnd(name() + " (inflated)", position, count, size);
        }
        if (closed) {
            throw new EOFException(what + ": read after close");
        }
        while (dst.hasRemaining()) {
            long index = position / chunkBytes;
            int offset = (int) (position % chunkBytes);
            byte[] chunk = chunk(index);
            int length = (int) Math.min(dst.remaining(), chunkLength(index) - offset);
            dst.put(chunk, offset, length);
            position += length;
        }
    }

    private long chunkLength(long index) {
        return Math.min(chunkBytes, size - index * chunkBytes);
    }

    /** The chunk {@code index}: kept, or inflated by the nearest cursor before it (restarting one if none is). */
    private byte[] chunk(long index) throws IOException {
        byte[] tailChunk = tail.get(index);
        if (tailChunk != null) {
            return tailChunk;
        }
        Kept kept = read.get(index);
        if (kept == null) {
            kept = unread.remove(index);
            if (kept != null) {
                read.put(index, kept);
            }
        }
        if (kept != null) {
            return kept.bytes();
        }
        long start = index * chunkBytes;
        Cursor cursor = null;
        for (Cursor each : cursors) {
            if (each.position <= start && (cursor == null || each.position > cursor.position)) {
                cursor = each;
            }
        }
        if (cursor == null) {
            if (cursors.size() < maxCursors) {
                if (!cursors.isEmpty()) {
                    countRestart();
                }
                cursor = new Cursor();
                cursors.add(cursor);
            } else {
                cursor = cursors.getFirst();
                for (Cursor each : cursors) {
                    cursor = each.lastUse < cursor.lastUse ? each : cursor;
                }
                countRestart();
                cursor.restart();
            }
        }
        cursor.lastUse = ++uses;
        // A read far ahead of what was inflated (a grain table after its grains) is kept as unread, like the chunks
        // inflated on the way: the readers have not reached it yet.
        boolean ahead = cursor.position < start;
        while (true) {
            byte[] chunk = spare != null ? spare : new byte[chunkBytes];
            spare = null;
            long at = cursor.position / chunkBytes;
            int count = fill(cursor.stream, chunk);
            if (count == 0 || count < chunkLength(at)) {
                throw new CorruptImage("%s: the gzip data inflated to %d bytes, not the %d it inflated to when opened "
                        .formatted(what, cursor.position + count, size) + "(has the file changed?)");
            }
            cursor.position += count;
            keep(at, chunk, at == index && !ahead);
            if (at == index) {
                return chunk;
            }
        }
    }

    /**
     * Keeps a chunk just inflated ({@code wanted}: the one a read asked for, so read); past the limit, drops the least
     * recently read chunk, but an unread chunk first once as many chunks have been inflated after it as are kept (or
     * when none has been read). Chunks inflated ahead of the readers (a grain table written after its grains is read
     * before them) are thus kept before chunks already read, which are needed again only if they hold metadata (read
     * again, so recent); chunks skipped over and never read do not stay.
     */
    private void keep(long index, byte[] chunk, boolean wanted) {
        Kept replaced = read.remove(index);
        Kept replacedUnread = unread.remove(index);
        (wanted ? read : unread).put(index, new Kept(chunk, ++inflatedChunks));
        spare = replaced != null ? replaced.bytes() : replacedUnread != null ? replacedUnread.bytes() : spare;
        while (read.size() + unread.size() > cachedChunks && read.size() + unread.size() > 1) {
            Map.Entry<Long, Kept> oldestUnread = unread.firstEntry();
            boolean expired = oldestUnread != null && inflatedChunks - oldestUnread.getValue().inflated() >= cachedChunks;
            Map.Entry<Long, Kept> dropped = (expired || read.isEmpty() ? unread : read).pollFirstEntry();
            spare = dropped.getValue().bytes();
        }
    }

    private void countRestart() {
        restarts++;
        ALL_RESTARTS.incrementAndGet();
    }

    /** Times reading went back to the start of the gzip data (the pass made when opening is not counted). */
    synchronized long restarts() {
        return restarts;
    }

    /** Restarts of every instance so far. */
    static long allRestarts() {
        return ALL_RESTARTS.get();
    }

    /** The compressed file's. */
    @Override
    public long allocatedBytes() throws IOException {
        return compressed.allocatedBytes();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Cursor cursor : cursors) {
            if (cursor.stream != null) {
                cursor.stream.close();
            }
        }
        cursors.clear();
        read.clear();
        unread.clear();
        tail.clear();
        compressed.close();
    }
}

package org.disklens.convert;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.disklens.image.ImageReader;
import org.disklens.image.ImageWriter;
import org.disklens.image.UnitCompressor;
import org.disklens.image.WriteWindow;
import org.disklens.image.ProgressListener;

/**
 * The conversion's engine: a bounded pipeline. The calling thread plans aligned windows from the source's
 * allocation (runs that hold nothing to read are skipped whole, whatever their length), a pool of workers (one per
 * core) reads each window, decompressing as needed, finds the zero units and compresses the others, and the calling
 * thread hands the finished windows to the writer in guest order. Writers whose files are plain (raw, flat VMDK
 * extents) write from the workers directly. A fixed set of {@link Chunk}s circulates, so memory stays the same
 * whatever the disk's size, and nothing is allocated per cluster.
 *
 * <p>Progress counts the bytes the source stores (as qemu-img's does), measured by a first pass over the
 * metadata. Cancellation is checked between windows; a failure or cancellation stops the workers before this
 * method returns, so the caller can delete the partial files safely.
 */
final class Pipeline {
    /**
     * Window size (unless a writer's unit is larger): {@link WriteWindow#SIZE}, 1 MiB. Measured: 4 MiB windows copied
     * qcow2 to raw ~15% slower, warm or cold.
     */
    static final int WINDOW = WriteWindow.SIZE;
    private static final MemorySegment ZEROES = Arena.global().allocate(64 << 10);

    private final SourceImage source;
    private final ImageWriter writer;
    private final long targetSize;
    private final boolean scanZeroes;
    private final ProgressListener progress;
    private final int workers;
    private final int windowSize;

    Pipeline(SourceImage source, ImageWriter writer, long targetSize, boolean scanZeroes, ProgressListener progress,
             int workers) {
        this.source = source;
        this.writer = writer;
        this.targetSize = targetSize;
        this.scanZeroes = scanZeroes && !writer.writesEverything();
        this.progress = progress;
        this.workers = Math.max(1, workers);
        this.windowSize = Math.max(WINDOW, writer.unitSize());
    }

    /**
     * Copies the whole disk into the writer (not including {@link ImageWriter#finish()}); returns the bytes the
     * source stores.
     */
    long run() throws IOException {
        CompletableFuture<Long> total = countAllocatedInBackground();
        int inFlightLimit = Math.max(2, Math.min(2 * workers + 2, (96 << 20) / windowSize));
        Queue<UnitCompressor> compressors = new ConcurrentLinkedQueue<>();
        ThreadLocal<ImageReader> readers = ThreadLocal.withInitial(() -> new ImageReader(source.chain()));
        ThreadLocal<UnitCompressor> codecs = ThreadLocal.withInitial(() -> {
            UnitCompressor codec = writer.compressor().get();
            compressors.add(codec);
            return codec;
        });
        ExecutorService pool = Executors.newFixedThreadPool(workers, daemonThreads());
        Deque<Pending> inFlight = new ArrayDeque<>();
        try {
            Deque<Chunk> free = new ArrayDeque<>();
            int chunks = 0;
            Planner planner = new Planner();
            Object next = planner.next();
            long done = 0;
            while (next != null || !inFlight.isEmpty()) {
                progress.checkCancelled();
                if (next instanceof Skip skip && inFlight.size() < 4 * inFlightLimit) {
                    inFlight.add(new Pending(null, skip));
                    next = planner.next();
                    continue;
                }
                if (next instanceof Window && free.isEmpty() && chunks < inFlightLimit) {
                    // Buffers are made as the pipeline fills, so a small disk never allocates them all.
                    free.push(new Chunk(windowSize, writer.unitSize(), writer.slotSize()));
                    chunks++;
                }
                if (next instanceof Window window && !free.isEmpty()) {
                    Chunk chunk = free.pop();
                    window.copyInto(chunk);
                    inFlight.add(new Pending(pool.submit(() -> process(chunk, readers.get(), codecs)), null));
                    next = planner.next();
                    continue;
                }
                Pending head = inFlight.poll();
                if (head.skip() != null) {
                    if (!writer.parallel()) {
                        writer.skip(head.skip().start(), head.skip().end(), head.skip().kind());
                    }
                    continue;
                }
                Chunk chunk = await(head.future());
                if (!writer.parallel()) {
                    writer.write(chunk);
                }
                done += chunk.allocatedBytes;
                free.push(chunk);
                long known = total.getNow(-1L);
                if (known >= 0) {
                    progress.progress(Math.min(done, known), known);
                }
            }
            progress.progress(done, done);
            return done;
        } finally {
            total.cancel(false);
            for (Pending pending : inFlight) {
                if (pending.future() != null) {
                    pending.future().cancel(false);
                }
            }
            pool.shutdown();
            awaitQuietly(pool);
            compressors.forEach(UnitCompressor::close);
        }
    }

    private record Pending(Future<Chunk> future, Skip skip) {
    }

    private static Chunk await(Future<Chunk> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "disklens-convert-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * The bytes the source stores, for progress: a pass over the metadata alone, run beside the conversion so that
     * it delays nothing (progress is reported once it is known). Not run when nobody listens.
     */
    private CompletableFuture<Long> countAllocatedInBackground() {
        if (progress == ProgressListener.NONE || progress instanceof Cancellation) {
            return CompletableFuture.completedFuture(-1L);
        }
        CompletableFuture<Long> total = new CompletableFuture<>();
        Thread counter = new Thread(() -> {
            try {
                long sum = 0;
                Planner planner = new Planner();
                for (Object plan = planner.next(); plan != null && !total.isDone(); plan = planner.next()) {
                    if (plan instanceof Window window) {
                        sum += window.allocated;
                    }
                }
                total.complete(sum);
            } catch (IOException | RuntimeException failed) {
                // The conversion itself will meet the same problem and report it; progress just stays unknown.
                total.complete(-1L);
            }
        }, "disklens-convert-count");
        counter.setDaemon(true);
        counter.start();
        return total;
    }

    // ---- the workers' part ----

    private Chunk process(Chunk chunk, ImageReader reader, ThreadLocal<UnitCompressor> codecs) throws IOException {
        progress.checkCancelled();
        classifyUnits(chunk);
        readData(chunk, reader);
        if (scanZeroes) {
            for (int unit = 0; unit < chunk.unitCount; unit++) {
                if (chunk.kinds[unit] == WriteWindow.DATA && isZero(chunk, unit * chunk.unitSize, chunk.unitLength(unit))) {
                    chunk.kinds[unit] = WriteWindow.SCANNED_ZERO;
                }
            }
        }
        if (writer.compressor() != null) {
            compress(chunk, codecs.get());
        }
        if (writer.parallel()) {
            writer.write(chunk);
        }
        return chunk;
    }

    /** Each unit's kind from the runs it overlaps: one kind, or DATA where kinds mix (the bytes decide then). */
    private void classifyUnits(Chunk chunk) {
        byte[] kinds = chunk.kinds;
        int unitSize = chunk.unitSize;
        java.util.Arrays.fill(kinds, 0, chunk.unitCount, (byte) -1);
        long at = 0;
        for (int run = 0; run < chunk.runCount; run++) {
            long runEnd = at + chunk.runLengths[run];
            byte kind = chunk.runKinds[run];
            int first = (int) (at / unitSize);
            int last = (int) ((runEnd - 1) / unitSize);
            merge(kinds, first, kind);
            if (last > first) {
                // Units wholly inside the run take its kind; only the two ends can be shared with other runs.
                java.util.Arrays.fill(kinds, first + 1, last, kind);
                merge(kinds, last, kind);
            }
            at = runEnd;
        }
        if (writer.writesEverything()) {
            for (int unit = 0; unit < chunk.unitCount; unit++) {
                if (kinds[unit] == WriteWindow.ZERO) {
                    kinds[unit] = WriteWindow.DATA;
                }
            }
        }
    }

    private static void merge(byte[] kinds, int unit, byte kind) {
        byte current = kinds[unit];
        kinds[unit] = current == -1 || current == kind ? kind : WriteWindow.DATA;
    }

    /**
     * Reads every run of DATA units in one call each; the bytes past the source's end read as zero, and so do the
     * source's ZERO runs inside a unit that also holds data (with {@code --sparsify}, free space next to used space
     * in one cluster reads as zeroes, not as what the guest once wrote there).
     */
    private void readData(Chunk chunk, ImageReader reader) throws IOException {
        long sourceSize = source.size();
        chunk.forEachDataRun((first, end) -> {
            int from = first * chunk.unitSize;
            int to = end * chunk.unitSize;
            long guestFrom = chunk.start + from;
            int readable = (int) Math.max(0, Math.min(to, sourceSize - chunk.start) - from);
            if (readable > 0) {
                reader.read(guestFrom, chunk.data.slice(from, readable));
            }
            chunk.dataSegment.asSlice(from + readable, to - from - readable).fill((byte) 0);
        });
        long at = 0;
        for (int run = 0; run < chunk.runCount; run++) {
            long end = Math.min(at + chunk.runLengths[run], chunk.length);
            if (chunk.runKinds[run] == WriteWindow.ZERO && at < end) {
                chunk.dataSegment.asSlice(at, end - at).fill((byte) 0);
            }
            at = end;
        }
    }

    /** Whether the bytes are all zero; most data units are told apart by their first eight bytes alone. */
    private static boolean isZero(Chunk chunk, int offset, int length) {
        if (length >= 8 && chunk.data.getLong(offset) != 0) {
            return false;
        }
        int at = 0;
        while (at < length) {
            int step = (int) Math.min(length - at, ZEROES.byteSize());
            if (MemorySegment.mismatch(chunk.dataSegment, offset + at, offset + at + step, ZEROES, 0, step) != -1) {
                return false;
            }
            at += step;
        }
        return true;
    }

    private void compress(Chunk chunk, UnitCompressor codec) throws IOException {
        for (int unit = 0; unit < chunk.unitCount; unit++) {
            if (chunk.kinds[unit] != WriteWindow.DATA) {
                continue;
            }
            // Whole units, the disk's end zero-padded: qcow2 decodes whole clusters, VMDK readers whole grains.
            ByteBuffer input = chunk.data.slice(unit * chunk.unitSize, chunk.unitSize);
            ByteBuffer slot = chunk.packed.slice(unit * chunk.slotSize, chunk.slotSize);
            chunk.packedLength[unit] = codec.compress(chunk.unitStart(unit), input, slot);
        }
    }

    // ---- planning ----

    /** A window with something to read, and the source's runs in it. */
    private static final class Window {
        final long start;
        final int length;
        final List<SourceImage.Run> runs = new ArrayList<>(4);
        long allocated;

        Window(long start, int length) {
            this.start = start;
            this.length = length;
        }

        void copyInto(Chunk chunk) {
            chunk.reset(start, length);
            for (SourceImage.Run run : runs) {
                chunk.addRun(run.kind(), run.length());
            }
        }
    }

    /** A run with nothing to read: zeroes, or (for a target with a backing file) what the backing file holds. */
    private record Skip(long start, long end, byte kind) {
    }

    /** Walks the disk in aligned windows, jumping over whole runs of zeroes or of backing-file content at once. */
    private final class Planner {
        private final boolean topOnly = writer.topLayerOnly();
        private final boolean skipZeroes = !writer.writesEverything();
        private long at;

        Object next() throws IOException {
            if (at >= targetSize) {
                return null;
            }
            long sourceSize = source.size();
            long windowEnd = Math.min(at + windowSize, targetSize);
            Window window = new Window(at, (int) (windowEnd - at));
            long position = at;
            while (position < windowEnd) {
                SourceImage.Run run = position >= sourceSize
                        ? new SourceImage.Run(SourceImage.Kind.ZERO, targetSize - position)
                        : source.runAt(position, (position == at ? sourceSize : Math.min(windowEnd, sourceSize)) - position,
                        topOnly);
                if (position == at && position + run.length() >= windowEnd && skippable(run.kind())) {
                    return skip(run);
                }
                long length = Math.min(run.length(), windowEnd - position);
                window.runs.add(new SourceImage.Run(run.kind(), length));
                if (run.kind() == SourceImage.Kind.DATA) {
                    window.allocated += length;
                }
                position += length;
            }
            at = windowEnd;
            return window;
        }

        private boolean skippable(SourceImage.Kind kind) {
            return kind == SourceImage.Kind.BACKING || kind == SourceImage.Kind.ZERO && skipZeroes;
        }

        private Skip skip(SourceImage.Run run) {
            long runEnd = at + run.length();
            if (run.kind() == SourceImage.Kind.ZERO && runEnd >= source.size()) {
                runEnd = targetSize;
            }
            long end = runEnd >= targetSize ? targetSize : Math.max(Math.min(at + windowSize, targetSize),
                    runEnd / windowSize * windowSize);
            Skip skip = new Skip(at, end, run.kind() == SourceImage.Kind.ZERO ? WriteWindow.ZERO : WriteWindow.BACKING);
            at = end;
            return skip;
        }
    }
}

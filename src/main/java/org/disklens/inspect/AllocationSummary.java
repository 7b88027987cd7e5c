package org.disklens.inspect;

import java.io.IOException;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;

/**
 * The allocation of a range of a chain's guest disk, summed into at most a fixed number of equal buckets:
 * per bucket, the bytes that are data in each layer, zero, compressed or unallocated. Built by streaming
 * {@link AllocationMap} entries, so memory depends on the bucket count, not on the disk: a 16 TiB sparse
 * image and a 2 M-cluster image cost the same. Zooming is computing again for a smaller range.
 */
public final class AllocationSummary {
    /** Layers deeper than this are summed into the last data slot. */
    public static final int MAX_LAYERS = 8;
    private static final int UNALLOCATED = 0;
    private static final int ZERO = 1;
    private static final int COMPRESSED = 2;
    private static final int FIRST_DATA = 3;

    private final long start;
    private final long end;
    private final long bucketSize;
    private final int bucketCount;
    private final int layers;
    private final int slots;
    private final long[] bytes;
    private final long[] totals;
    private final long[] provided;

    private AllocationSummary(long start, long end, int maxBuckets, int chainLength) {
        this.start = start;
        this.end = end;
        long length = end - start;
        this.bucketSize = Math.max(1, ceilDiv(length, Math.max(1, maxBuckets)));
        this.bucketCount = (int) Math.max(1, ceilDiv(length, bucketSize));
        this.layers = Math.min(chainLength, MAX_LAYERS);
        this.slots = FIRST_DATA + layers;
        this.bytes = new long[bucketCount * slots];
        this.totals = new long[slots];
        this.provided = new long[layers];
    }

    /** Sums the allocation of guest bytes {@code [start, end)} of {@code chain} into at most {@code maxBuckets}. */
    public static AllocationSummary compute(ImageChain chain, long start, long end, int maxBuckets,
                                            ProgressListener progress) throws IOException {
        if (start < 0 || end > chain.virtualSize() || start > end) {
            throw new IllegalArgumentException("range [%d, %d) is outside the disk of %d bytes"
                    .formatted(start, end, chain.virtualSize()));
        }
        AllocationSummary summary = new AllocationSummary(start, end, maxBuckets, chain.size());
        new AllocationMap(chain).walk(start, end, summary::add, progress);
        return summary;
    }

    /** The whole disk. */
    public static AllocationSummary compute(ImageChain chain, int maxBuckets, ProgressListener progress)
            throws IOException {
        return compute(chain, 0, chain.virtualSize(), maxBuckets, progress);
    }

    private void add(MapEntry entry) {
        int depth = Math.min(entry.depth(), layers - 1);
        int slot;
        if (!entry.present()) {
            slot = UNALLOCATED;
        } else if (entry.compressed()) {
            slot = COMPRESSED;
        } else if (entry.zero()) {
            slot = ZERO;
        } else {
            slot = FIRST_DATA + depth;
        }
        if (entry.present()) {
            provided[depth] += entry.length();
        }
        totals[slot] += entry.length();
        for (long at = entry.start(); at < entry.end(); ) {
            int bucket = (int) ((at - start) / bucketSize);
            long bucketEnd = Math.min(entry.end(), bucketEnd(bucket));
            bytes[bucket * slots + slot] += bucketEnd - at;
            at = bucketEnd;
        }
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public int bucketCount() {
        return bucketCount;
    }

    public long bucketSize() {
        return bucketSize;
    }

    public long bucketStart(int bucket) {
        return start + bucket * bucketSize;
    }

    public long bucketEnd(int bucket) {
        return Math.min(end, start + (bucket + 1) * bucketSize);
    }

    /** The bucket holding {@code guestOffset} (clamped to the range). */
    public int bucketAt(long guestOffset) {
        long clamped = Math.max(start, Math.min(end - 1, guestOffset));
        return (int) Math.min(bucketCount - 1, (clamped - start) / bucketSize);
    }

    /** Data slots: one per layer of the chain, at most {@link #MAX_LAYERS} (the last also holds deeper ones). */
    public int layers() {
        return layers;
    }

    /** Bytes of {@code bucket} stored uncompressed as data in layer {@code depth} (0 = the image itself). */
    public long data(int bucket, int depth) {
        return bytes[bucket * slots + FIRST_DATA + depth];
    }

    public long zero(int bucket) {
        return bytes[bucket * slots + ZERO];
    }

    public long compressed(int bucket) {
        return bytes[bucket * slots + COMPRESSED];
    }

    /** Bytes no layer provides: they read as zeroes. */
    public long unallocated(int bucket) {
        return bytes[bucket * slots + UNALLOCATED];
    }

    public long totalData(int depth) {
        return totals[FIRST_DATA + depth];
    }

    public long totalZero() {
        return totals[ZERO];
    }

    public long totalCompressed() {
        return totals[COMPRESSED];
    }

    public long totalUnallocated() {
        return totals[UNALLOCATED];
    }

    /**
     * Bytes of the guest view layer {@code depth} decides (data, compressed or zero): how much of what the
     * guest sees comes from that layer.
     */
    public long provided(int depth) {
        return provided[depth];
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}

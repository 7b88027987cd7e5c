package org.disklens.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;

/**
 * The allocation of a range of a chain's guest disk, summed into at most a fixed number of equal buckets: per
 * bucket, the bytes that are data in each layer, zero, compressed, unallocated, not stored (a hole of a raw file),
 * stored but free in the guest, or unreadable. Built by streaming {@link AllocationMap} entries, so memory depends on
 * the bucket count, not on the disk: a 16 TiB sparse image and a 2 M-cluster image cost the same. Zooming is
 * computing again for a smaller range.
 *
 * <p>Two states are not qemu-img's: a run the image stores (data or compressed, in any layer) inside the free space
 * of the guest's file systems is counted as <em>free in the guest</em> (what {@link Reclaimable} sums), and a part of
 * the disk whose mapping cannot be read (a damaged table) is counted as <em>unreadable</em>, up to the end of its
 * bucket, and the walk goes on: a damaged image is still summarised, its damage marked where it is.
 */
public final class AllocationSummary {
    /** Layers deeper than this are summed into the last data slot. */
    public static final int MAX_LAYERS = 8;
    /** At most this many damaged places are kept with their reasons (all are counted). */
    public static final int MAX_DAMAGE = 16;
    private static final int UNALLOCATED = 0;
    private static final int ZERO = 1;
    private static final int COMPRESSED = 2;
    private static final int NOT_STORED = 3;
    private static final int FREE_IN_GUEST = 4;
    private static final int UNREADABLE = 5;
    private static final int FIRST_DATA = 6;

    /** A part of the disk whose allocation could not be read, and why. */
    public record Damage(long start, long end, String reason) {
    }

    private final long start;
    private final long end;
    private final long bucketSize;
    private final int bucketCount;
    private final int layers;
    private final int slots;
    private final long[] bytes;
    private final long[] totals;
    private final long[] provided;
    private final boolean[] plainFile;
    private final GuestRanges freeInGuest;
    private final List<Damage> damage = new ArrayList<>();
    private int damageCount;

    private AllocationSummary(ImageChain chain, long start, long end, int maxBuckets, GuestRanges freeInGuest) {
        this.start = start;
        this.end = end;
        long length = end - start;
        this.bucketSize = Math.max(1, ceilDiv(length, Math.max(1, maxBuckets)));
        this.bucketCount = (int) Math.max(1, ceilDiv(length, bucketSize));
        this.layers = Math.min(chain.size(), MAX_LAYERS);
        this.slots = FIRST_DATA + layers;
        this.bytes = new long[bucketCount * slots];
        this.totals = new long[slots];
        this.provided = new long[layers];
        this.plainFile = new boolean[chain.size()];
        for (int depth = 0; depth < chain.size(); depth++) {
            plainFile[depth] = chain.layer(depth).isPlainFile();
        }
        this.freeInGuest = freeInGuest;
    }

    /** Sums the allocation of guest bytes {@code [start, end)} of {@code chain} into at most {@code maxBuckets}. */
    public static AllocationSummary compute(ImageChain chain, long start, long end, int maxBuckets,
                                            ProgressListener progress) throws IOException {
        return compute(chain, start, end, maxBuckets, GuestRanges.NONE, progress);
    }

    /**
     * The same, telling apart the stored runs inside {@code freeInGuest} (the free space of the guest's file systems,
     * {@link GuestFreeSpace#free()}).
     */
    public static AllocationSummary compute(ImageChain chain, long start, long end, int maxBuckets,
                                            GuestRanges freeInGuest, ProgressListener progress) throws IOException {
        if (start < 0 || end > chain.virtualSize() || start > end) {
            throw new IllegalArgumentException("range [%d, %d) is outside the disk of %d bytes"
                    .formatted(start, end, chain.virtualSize()));
        }
        AllocationSummary summary = new AllocationSummary(chain, start, end, maxBuckets, freeInGuest);
        summary.walk(new AllocationMap(chain), progress);
        return summary;
    }

    /** The whole disk. */
    public static AllocationSummary compute(ImageChain chain, int maxBuckets, ProgressListener progress)
            throws IOException {
        return compute(chain, 0, chain.virtualSize(), maxBuckets, progress);
    }

    /** Entry by entry (a summary needs no merging); a part that cannot be mapped is unreadable to its bucket's end. */
    private void walk(AllocationMap map, ProgressListener progress) throws IOException {
        long at = start;
        while (at < end) {
            progress.checkCancelled();
            try {
                MapEntry entry = map.entryAt(at, end - at);
                add(entry);
                at = entry.end();
            } catch (IOException damaged) {
                long skipTo = bucketEnd(bucketAt(at));
                noteDamage(at, skipTo, damaged);
                at = skipTo;
            }
            progress.progress(at - start, end - start);
        }
    }

    private void noteDamage(long from, long to, IOException damaged) {
        addPiece(UNREADABLE, from, to);
        damageCount++;
        Damage last = damage.isEmpty() ? null : damage.getLast();
        String reason = String.valueOf(damaged.getMessage());
        if (last != null && last.end() == from && last.reason().equals(reason)) {
            damage.set(damage.size() - 1, new Damage(last.start(), to, reason));
            damageCount--;
        } else if (damage.size() < MAX_DAMAGE) {
            damage.add(new Damage(from, to, reason));
        }
    }

    private void add(MapEntry entry) {
        int depth = Math.min(entry.depth(), layers - 1);
        if (entry.present()) {
            provided[depth] += entry.length();
        }
        int slot = slotOf(entry, depth);
        if (entry.data() && !entry.zero() && freeInGuest.overlaps(entry.start(), entry.end())) {
            addSplitByFreeSpace(slot, entry.start(), entry.end());
        } else {
            addPiece(slot, entry.start(), entry.end());
        }
    }

    private int slotOf(MapEntry entry, int depth) {
        if (!entry.present()) {
            return UNALLOCATED;
        }
        if (isHole(entry)) {
            return NOT_STORED;
        }
        if (entry.compressed()) {
            return COMPRESSED;
        }
        if (entry.zero()) {
            return ZERO;
        }
        return FIRST_DATA + depth;
    }

    /**
     * A run the host stores nothing for: a hole of a raw file (a zero run at a host offset of a plain-file layer), or
     * of the file under an allocated run (qemu-img's zero data: a flat VMDK extent, a qcow2 preallocated with metadata).
     */
    private boolean isHole(MapEntry entry) {
        return entry.zero() && (entry.data() || entry.hasOffset() && plainFile[entry.depth()]);
    }

    /** {@code [from, to)} as {@code slot}, but the parts inside the guest's free space as free in the guest. */
    private void addSplitByFreeSpace(int slot, long from, long to) {
        long at = from;
        for (int index = freeInGuest.firstEndingAfter(from); index < freeInGuest.count() && at < to
                && freeInGuest.start(index) < to; index++) {
            long freeStart = Math.max(at, freeInGuest.start(index));
            long freeEnd = Math.min(to, freeInGuest.end(index));
            addPiece(slot, at, freeStart);
            addPiece(FREE_IN_GUEST, freeStart, freeEnd);
            at = freeEnd;
        }
        addPiece(slot, at, to);
    }

    /** Counts guest bytes {@code [from, to)} in {@code slot}, bucket by bucket. */
    private void addPiece(int slot, long from, long to) {
        if (to <= from) {
            return;
        }
        totals[slot] += to - from;
        for (long at = from; at < to; ) {
            int bucket = (int) ((at - start) / bucketSize);
            long pieceEnd = Math.min(to, bucketEnd(bucket));
            bytes[bucket * slots + slot] += pieceEnd - at;
            at = pieceEnd;
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

    /** Bytes the host stores nothing for (holes of a raw file): they read as zeroes and take no space. */
    public long notStored(int bucket) {
        return bytes[bucket * slots + NOT_STORED];
    }

    /** Bytes the image stores (in any layer, compressed or not) that the guest's file systems call free. */
    public long freeInGuest(int bucket) {
        return bytes[bucket * slots + FREE_IN_GUEST];
    }

    /** Bytes whose allocation could not be read. */
    public long unreadable(int bucket) {
        return bytes[bucket * slots + UNREADABLE];
    }

    /** Bytes of {@code bucket} that take space on the host or are decided by a layer: all but unallocated and holes. */
    public long allocated(int bucket) {
        return bucketEnd(bucket) - bucketStart(bucket) - unallocated(bucket) - notStored(bucket);
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

    public long totalNotStored() {
        return totals[NOT_STORED];
    }

    public long totalFreeInGuest() {
        return totals[FREE_IN_GUEST];
    }

    public long totalUnreadable() {
        return totals[UNREADABLE];
    }

    /** The damaged places met (at most {@link #MAX_DAMAGE}, neighbours with the same reason merged). */
    public List<Damage> damage() {
        return List.copyOf(damage);
    }

    /** How many damaged places were met, also beyond those kept. */
    public int damageCount() {
        return damageCount;
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

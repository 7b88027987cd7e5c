package org.disklens.inspect;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.disklens.image.DiskImage;
import org.disklens.image.HostUse;
import org.disklens.image.ProgressListener;
import org.disklens.image.qcow2.Qcow2Image;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * Where things sit in an image's host file, summed into at most a fixed number of equal buckets over the
 * file (so memory stays bounded whatever the file size) plus totals per {@link HostUse}. qcow2 reports its
 * structures; other formats show which runs of the file are stored and which are sparse holes.
 */
public final class HostLayout {
    private static final HostUse[] USES = HostUse.values();

    private final long fileSize;
    private final long bucketSize;
    private final int bucketCount;
    private final long[] bytes;
    private final long[] totals = new long[USES.length];

    private HostLayout(long fileSize, int maxBuckets) {
        this.fileSize = fileSize;
        long size = Math.max(512, ceilDiv(fileSize, Math.max(1, maxBuckets)));
        this.bucketSize = ceilDiv(size, 512) * 512;
        this.bucketCount = (int) Math.max(1, ceilDiv(fileSize, bucketSize));
        this.bytes = new long[bucketCount * USES.length];
    }

    /** Describes {@code image}'s file in at most {@code maxBuckets} buckets. */
    public static HostLayout of(DiskImage image, int maxBuckets, ProgressListener progress) throws IOException {
        BlockSource source = image.source();
        HostLayout layout = new HostLayout(source.size(), maxBuckets);
        if (image instanceof Qcow2Image qcow2) {
            qcow2.describeHostUse(layout::add, progress);
        } else {
            layout.addStoredAndHoles(source, progress);
        }
        return layout;
    }

    private void addStoredAndHoles(BlockSource source, ProgressListener progress) throws IOException {
        long at = 0;
        while (at < fileSize) {
            progress.checkCancelled();
            HostExtent extent = source.extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), fileSize - at) : fileSize - at;
            add(extent.data() ? HostUse.DATA : HostUse.HOLE, at, length);
            at += length;
            progress.progress(at, fileSize);
        }
    }

    /** Adds a run, spread over the buckets it touches; parts outside the file are ignored. */
    void add(HostUse use, long hostOffset, long length) {
        long start = Math.max(0, hostOffset);
        long end = Math.min(fileSize, hostOffset + length);
        if (end <= start) {
            return;
        }
        totals[use.ordinal()] += end - start;
        for (long at = start; at < end; ) {
            int bucket = (int) (at / bucketSize);
            long bucketEnd = Math.min(end, (bucket + 1) * bucketSize);
            bytes[bucket * USES.length + use.ordinal()] += bucketEnd - at;
            at = bucketEnd;
        }
    }

    public long fileSize() {
        return fileSize;
    }

    public int bucketCount() {
        return bucketCount;
    }

    /** Host bytes each bucket covers (the last one may cover fewer). */
    public long bucketSize() {
        return bucketSize;
    }

    public long bucketStart(int bucket) {
        return bucket * bucketSize;
    }

    public long bucketEnd(int bucket) {
        return Math.min(fileSize, (bucket + 1) * bucketSize);
    }

    /** Bytes of {@code bucket} used as {@code use}. */
    public long bytes(int bucket, HostUse use) {
        return bytes[bucket * USES.length + use.ordinal()];
    }

    /** Bytes of the whole file used as {@code use}. */
    public long total(HostUse use) {
        return totals[use.ordinal()];
    }

    /** The uses that occur, in {@link HostUse} order, with their totals. */
    public Map<HostUse, Long> totals() {
        Map<HostUse, Long> present = new EnumMap<>(HostUse.class);
        for (HostUse use : USES) {
            if (totals[use.ordinal()] > 0) {
                present.put(use, totals[use.ordinal()]);
            }
        }
        return present;
    }

    /** The use with the most bytes in {@code bucket}, or null for an empty bucket. */
    public HostUse dominant(int bucket) {
        HostUse best = null;
        long most = 0;
        for (HostUse use : USES) {
            long value = bytes(bucket, use);
            if (value > most) {
                most = value;
                best = use;
            }
        }
        return best;
    }

    private static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }
}

package org.disklens.inspect;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.disklens.image.DiskImage;
import org.disklens.image.HostRegion;
import org.disklens.image.ProgressListener;

/**
 * Where things sit in an image's host file, summed into at most a fixed number of equal buckets over the file (so
 * memory stays bounded whatever the file size) plus totals per {@link HostRegion}, in the kinds and legend order
 * the image's format gives ({@link DiskImage#hostRegions()}).
 */
public final class HostLayout {
    private final List<HostRegion> regions;
    private final Map<HostRegion, Integer> indexes = new LinkedHashMap<>();
    private final long fileSize;
    private final long bucketSize;
    private final int bucketCount;
    private final long[] bytes;
    private final long[] totals;

    private HostLayout(List<HostRegion> regions, long fileSize, int maxBuckets) {
        this.regions = List.copyOf(regions);
        for (int i = 0; i < regions.size(); i++) {
            indexes.put(regions.get(i), i);
        }
        this.fileSize = fileSize;
        long size = Math.max(512, Math.ceilDiv(fileSize, Math.max(1, maxBuckets)));
        this.bucketSize = Math.ceilDiv(size, 512) * 512;
        this.bucketCount = (int) Math.max(1, Math.ceilDiv(fileSize, bucketSize));
        this.bytes = new long[bucketCount * regions.size()];
        this.totals = new long[regions.size()];
    }

    /** Describes {@code image}'s file in at most {@code maxBuckets} buckets. */
    public static HostLayout of(DiskImage image, int maxBuckets, ProgressListener progress) throws IOException {
        HostLayout layout = new HostLayout(image.hostRegions(), image.source().size(), maxBuckets);
        image.describeHost(layout::add, progress);
        return layout;
    }

    /** Adds a run, spread over the buckets it touches; parts outside the file are ignored. */
    void add(HostRegion region, long hostOffset, long length) {
        Integer index = indexes.get(region);
        if (index == null) {
            throw new IllegalArgumentException("the format reported a region it does not list: " + region.label());
        }
        long start = Math.max(0, hostOffset);
        long end = Math.min(fileSize, hostOffset + length);
        if (end <= start) {
            return;
        }
        totals[index] += end - start;
        for (long at = start; at < end; ) {
            int bucket = (int) (at / bucketSize);
            long bucketEnd = Math.min(end, (bucket + 1) * bucketSize);
            bytes[bucket * regions.size() + index] += bucketEnd - at;
            at = bucketEnd;
        }
    }

    /** Every kind of region the format reports, in legend order. */
    public List<HostRegion> regions() {
        return regions;
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

    /** Bytes of {@code bucket} used as {@code region}. */
    public long bytes(int bucket, HostRegion region) {
        Integer index = indexes.get(region);
        return index == null ? 0 : bytes[bucket * regions.size() + index];
    }

    /** Bytes of the whole file used as {@code region}. */
    public long total(HostRegion region) {
        Integer index = indexes.get(region);
        return index == null ? 0 : totals[index];
    }

    /** The regions that occur, in legend order, with their totals. */
    public Map<HostRegion, Long> totals() {
        Map<HostRegion, Long> present = new LinkedHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            if (totals[i] > 0) {
                present.put(regions.get(i), totals[i]);
            }
        }
        return present;
    }

    /** Bytes of the whole file used for {@code role}. */
    public long total(HostRegion.Role role) {
        long sum = 0;
        for (int i = 0; i < regions.size(); i++) {
            sum += regions.get(i).role() == role ? totals[i] : 0;
        }
        return sum;
    }

    /** The region with the most bytes in {@code bucket}, or null for an empty bucket. */
    public HostRegion dominant(int bucket) {
        HostRegion best = null;
        long most = 0;
        for (int i = 0; i < regions.size(); i++) {
            long value = bytes[bucket * regions.size() + i];
            if (value > most) {
                most = value;
                best = regions.get(i);
            }
        }
        return best;
    }
}

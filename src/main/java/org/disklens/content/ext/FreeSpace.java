package org.disklens.content.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;

/**
 * Free space from the block bitmaps, one group at a time, in volume byte offsets (a bit per cluster under bigalloc).
 * A group whose bitmap was never initialised ({@code BLOCK_UNINIT}, trusted only with a descriptor checksum feature,
 * as the kernel does) is free except what the kernel counts as its metadata: the superblock backup and descriptor
 * blocks at its start, and its own bitmaps and inode table. Being conservative, DiskLens also keeps as used any
 * other group's bitmap or inode table that lies in it, and the whole group when its descriptor checksum is wrong or its
 * bitmap cannot be read.
 */
final class FreeSpace {
    private final ExtVolume volume;
    private final ExtLayout layout;

    FreeSpace(ExtVolume volume) {
        this.volume = volume;
        this.layout = volume.layout();
    }

    void report(FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        TreeMap<Long, Long> foreignMetadata = metadataInUninitialisedGroups(progress);
        Merger merger = new Merger(sink, Math.min(volume.size(), layout.offsetOf(layout.blocksCount())));
        for (long group = 0; group < layout.groups(); group++) {
            progress.checkCancelled();
            progress.progress(group, layout.groups());
            GroupDescriptor descriptor = volume.descriptor(group);
            if (descriptor.blockBitmapUninitialised(layout)) {
                if (descriptor.checksumMatches()) {
                    reportUninitialised(descriptor, foreignMetadata, merger);
                }
            } else {
                reportBitmap(descriptor, merger);
            }
        }
        merger.flush();
        progress.progress(layout.groups(), layout.groups());
    }

    /**
     * Block bitmaps, inode bitmaps and inode tables (first block to end, merged) that lie in a BLOCK_UNINIT group other
     * than their own: mke2fs never puts them there, so this is usually empty.
     */
    private TreeMap<Long, Long> metadataInUninitialisedGroups(ProgressListener progress) throws IOException {
        TreeMap<Long, Long> ranges = new TreeMap<>();
        if (!layout.metadataChecksums() && !layout.gdtChecksums()) {
            return ranges;
        }
        long tableBlocks = (layout.inodesPerGroup() * layout.inodeSize() + layout.blockSize() - 1) / layout.blockSize();
        for (long group = 0; group < layout.groups(); group++) {
            progress.checkCancelled();
            GroupDescriptor descriptor = volume.descriptor(group);
            addIfForeign(ranges, group, descriptor.blockBitmap(), 1);
            addIfForeign(ranges, group, descriptor.inodeBitmap(), 1);
            addIfForeign(ranges, group, descriptor.inodeTable(), tableBlocks);
        }
        return ranges;
    }

    private void addIfForeign(TreeMap<Long, Long> ranges, long owner, long block, long count) throws IOException {
        if (block < layout.firstDataBlock() || block >= layout.blocksCount()) {
            return;
        }
        long end = Math.min(block + count, layout.blocksCount());
        for (long at = block; at < end; ) {
            long group = (at - layout.firstDataBlock()) / layout.blocksPerGroup();
            long groupEnd = layout.groupEnd(group);
            if (group != owner && volume.descriptor(group).blockBitmapUninitialised(layout)) {
                add(ranges, at, Math.min(end, groupEnd));
            }
            at = groupEnd;
        }
    }

    /** Adds [start, end) to disjoint sorted ranges, merging what overlaps or touches. */
    private static void add(TreeMap<Long, Long> ranges, long start, long end) {
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        for (Map.Entry<Long, Long> after = ranges.ceilingEntry(start); after != null && after.getKey() <= end;
             after = ranges.ceilingEntry(start)) {
            end = Math.max(end, after.getValue());
            ranges.remove(after.getKey());
        }
        ranges.put(start, end);
    }

    private void reportUninitialised(GroupDescriptor descriptor, TreeMap<Long, Long> foreign, Merger merger)
            throws IOException {
        long group = descriptor.group();
        long start = layout.groupStart(group);
        long end = layout.groupEnd(group);
        TreeMap<Long, Long> used = new TreeMap<>(foreign.subMap(start, end));
        Map.Entry<Long, Long> straddling = foreign.lowerEntry(start);
        if (straddling != null && straddling.getValue() > start) {
            add(used, start, Math.min(end, straddling.getValue()));
        }
        add(used, start, start + layout.baseMetadataBlocks(group));
        long tableBlocks = (layout.inodesPerGroup() * layout.inodeSize() + layout.blockSize() - 1) / layout.blockSize();
        addOwn(used, start, end, descriptor.blockBitmap(), 1);
        addOwn(used, start, end, descriptor.inodeBitmap(), 1);
        addOwn(used, start, end, descriptor.inodeTable(), tableBlocks);
        long at = start;
        for (Map.Entry<Long, Long> range : used.entrySet()) {
            emitClusters(merger, at, Math.min(range.getKey(), end));
            at = Math.max(at, range.getValue());
        }
        emitClusters(merger, at, end);
    }

    private static void addOwn(TreeMap<Long, Long> used, long start, long end, long block, long count) {
        if (block >= start && block < end) {
            add(used, block, Math.min(end, block + count));
        }
    }

    /** Free blocks [start, end), shrunk to whole clusters (a cluster partly used is used). */
    private void emitClusters(Merger merger, long start, long end) throws IOException {
        long ratio = layout.clusterRatio();
        long first = (start + ratio - 1) / ratio * ratio;
        long last = end / ratio * ratio;
        if (first < last) {
            merger.accept(layout.offsetOf(first), layout.offsetOf(last) - layout.offsetOf(first));
        }
    }

    private void reportBitmap(GroupDescriptor descriptor, Merger merger) throws IOException {
        long group = descriptor.group();
        ByteBuffer bitmap;
        try {
            bitmap = volume.block(descriptor.blockBitmap(), "block bitmap of group " + group);
        } catch (ImageException unreadable) {
            volume.warn(unreadable.getMessage() + " (group %d is counted as used)".formatted(group));
            return;
        }
        long clusters = layout.clustersPerGroup();
        verifyBitmap(descriptor, bitmap, clusters);
        long ratio = layout.clusterRatio();
        long firstCluster = layout.groupStart(group) / ratio;
        long groupEnd = layout.groupEnd(group);
        for (long bit = nextBit(bitmap, 0, clusters, false); bit < clusters; ) {
            long used = nextBit(bitmap, bit, clusters, true);
            long start = (firstCluster + bit) * ratio;
            long end = Math.min((firstCluster + used) * ratio, groupEnd);
            if (start < end) {
                merger.accept(layout.offsetOf(start), layout.offsetOf(end) - layout.offsetOf(start));
            }
            bit = nextBit(bitmap, used, clusters, false);
        }
    }

    /** The first bit from {@code from} that is {@code set} (or clear), or {@code limit}; 64 bits at a time. */
    static long nextBit(ByteBuffer bitmap, long from, long limit, boolean set) {
        long bit = from;
        while (bit < limit) {
            int byteIndex = (int) (bit >>> 3);
            if ((bit & 63) == 0 && byteIndex + 8 <= bitmap.limit()) {
                long word = bitmap.getLong(byteIndex);
                long wanted = set ? word : ~word;
                if (wanted == 0) {
                    bit += 64;
                    continue;
                }
                return Math.min(limit, bit + Long.numberOfTrailingZeros(wanted));
            }
            boolean isSet = (bitmap.get(byteIndex) & (1 << (bit & 7))) != 0;
            if (isSet == set) {
                return bit;
            }
            bit++;
        }
        return limit;
    }

    private void verifyBitmap(GroupDescriptor descriptor, ByteBuffer bitmap, long clusters) {
        if (!layout.metadataChecksums()) {
            return;
        }
        int crc = Checksums.crc32c(layout.checksumSeed(), bitmap.slice(0, (int) (clusters / 8)));
        int mask = layout.descriptorSize() >= 64 ? -1 : 0xFFFF;
        if ((crc & mask) != descriptor.blockBitmapChecksum()) {
            volume.warn("%s: block bitmap of group %d at 0x%x: checksum mismatch".formatted(layout.naming(),
                    descriptor.group(), layout.offsetOf(descriptor.blockBitmap())));
        }
    }

    /** Joins touching runs and clips them to the volume before handing them on. */
    private static final class Merger {
        private final FileSystem.RangeSink sink;
        private final long limit;
        private long start = -1;
        private long end = -1;

        Merger(FileSystem.RangeSink sink, long limit) {
            this.sink = sink;
            this.limit = limit;
        }

        void accept(long offset, long length) throws IOException {
            long runEnd = Math.min(offset + length, limit);
            if (runEnd <= offset) {
                return;
            }
            if (offset == end) {
                end = runEnd;
                return;
            }
            flush();
            start = offset;
            end = runEnd;
        }

        void flush() throws IOException {
            if (start >= 0) {
                sink.accept(start, end - start);
            }
            start = -1;
            end = -1;
        }
    }
}

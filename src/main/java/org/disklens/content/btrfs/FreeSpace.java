package org.disklens.content.btrfs;

import java.io.IOException;
import java.util.Optional;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ProgressListener;

/**
 * Free space of this device, in volume offsets: the device's bytes that no device extent (DEV_EXTENT in the device
 * tree) gives to a chunk, and, inside each chunk's stripe on this device, the bytes of logical ranges that no
 * EXTENT_ITEM or METADATA_ITEM of the extent tree covers, mapped through the chunk's profile. Being conservative, the
 * first MiB (boot area and primary superblock) and the 64 KiB stripe of each superblock mirror are never free, nor is
 * a chunk that cannot be matched with its device extent, nor a RAID5/6 chunk.
 */
final class FreeSpace {
    /** Btrfs never allocates the first MiB of a device. */
    static final long RESERVED = 1L << 20;
    /** The kernel keeps the 64 KiB stripe around each superblock mirror out of its block group. */
    static final long MIRROR_STRIPE = 64L << 10;

    private final BtrfsVolume volume;
    private final Tree rootTree;

    FreeSpace(BtrfsVolume volume, Tree rootTree) {
        this.volume = volume;
        this.rootTree = rootTree;
    }

    void report(FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        long deviceEnd = Math.min(volume.size(), volume.superblock().device().totalBytes());
        Tree devices = tree(Key.DEV_TREE, "device tree");
        Tree extents = tree(Key.EXTENT_TREE, "extent tree");
        Merger merger = new Merger(sink, deviceEnd);
        long devid = volume.devid();
        long[] cursor = {0};
        devices.scan(Key.first(devid, Key.DEV_EXTENT), Key.last(devid, Key.DEV_EXTENT), item -> {
            progress.checkCancelled();
            DevExtent extent = DevExtent.parse(item.data(), item.key(), item.volumeOffset());
            if (extent.physical() < cursor[0]) {
                throw new CorruptImage(BtrfsVolume.NAMING, "device extent at 0x%x".formatted(extent.physical()),
                        item.volumeOffset(), "overlaps the device extent before it");
            }
            merger.accept(cursor[0], extent.physical());
            reportChunk(extent, extents, merger);
            cursor[0] = extent.end();
            progress.progress(Math.min(cursor[0], deviceEnd), deviceEnd);
            return cursor[0] < deviceEnd;
        });
        merger.accept(cursor[0], deviceEnd);
        merger.flush();
        progress.progress(deviceEnd, deviceEnd);
    }

    private Tree tree(long id, String name) throws IOException {
        Optional<Tree.Item> item = rootTree.first(Key.first(id, Key.ROOT_ITEM), Key.last(id, Key.ROOT_ITEM));
        if (item.isEmpty()) {
            throw new CorruptImage(BtrfsVolume.NAMING, name, -1, "has no root item in the root tree");
        }
        RootItem root = RootItem.parse(item.get().data(), "root item of the " + name, item.get().volumeOffset());
        return new Tree(volume, id, root.bytenr(), root.level(), name);
    }

    /** The free bytes of the chunk stripe that {@code extent} holds. */
    private void reportChunk(DevExtent extent, Tree extents, Merger merger) throws IOException {
        Chunk chunk = volume.chunks().find(extent.chunkLogical());
        int stripe = chunk == null || chunk.logical() != extent.chunkLogical() ? -1 : stripeIndex(chunk, extent);
        long profile = chunk == null ? 0 : chunk.type() & Chunk.PROFILES;
        if (stripe < 0 || profile == Chunk.RAID5 || profile == Chunk.RAID6 || chunk.stripeSize() != extent.length()) {
            if (stripe < 0 || chunk.stripeSize() != extent.length()) {
                volume.warn("%s: device extent at 0x%x does not match a chunk stripe; counted as used"
                        .formatted(BtrfsVolume.NAMING, extent.physical()));
            }
            return;
        }
        int nodeSize = volume.superblock().nodeSize();
        long[] at = {chunk.logical()};
        extents.scan(new Key(chunk.logical(), 0, 0), new Key(chunk.end() - 1, 255, Key.MAX), item -> {
            Key key = item.key();
            if (key.type() != Key.EXTENT_ITEM && key.type() != Key.METADATA_ITEM) {
                return true;
            }
            long start = key.objectId();
            long length = key.type() == Key.EXTENT_ITEM ? key.offset() : nodeSize;
            long end = length < 0 || start > Long.MAX_VALUE - length ? Long.MAX_VALUE : start + length;
            if (start > at[0]) {
                reportLogical(chunk, stripe, at[0], start, merger);
            }
            at[0] = Math.max(at[0], end);
            return at[0] < chunk.end();
        });
        if (at[0] < chunk.end()) {
            reportLogical(chunk, stripe, at[0], chunk.end(), merger);
        }
    }

    private int stripeIndex(Chunk chunk, DevExtent extent) {
        for (int i = 0; i < chunk.stripes().size(); i++) {
            Chunk.Stripe stripe = chunk.stripes().get(i);
            if (stripe.devid() == extent.devid() && stripe.offset() == extent.physical()) {
                return i;
            }
        }
        return -1;
    }

    /** The part of free logical range [start, end) of {@code chunk} that stripe {@code index} holds. */
    private static void reportLogical(Chunk chunk, int index, long start, long end, Merger merger) throws IOException {
        Chunk.Stripe stripe = chunk.stripes().get(index);
        long profile = chunk.type() & Chunk.PROFILES;
        if (profile != Chunk.RAID0 && profile != Chunk.RAID10) {
            merger.accept(stripe.offset() + (start - chunk.logical()), stripe.offset() + (end - chunk.logical()));
            return;
        }
        int copies = profile == Chunk.RAID10 ? chunk.subStripes() : 1;
        long factor = chunk.stripes().size() / copies;
        long group = index / copies;
        long unitLength = chunk.stripeLength();
        long firstUnit = (start - chunk.logical()) / unitLength;
        long unit = firstUnit + Math.floorMod(group - firstUnit, factor);
        for (; chunk.logical() + unit * unitLength < end; unit += factor) {
            long unitStart = chunk.logical() + unit * unitLength;
            long from = Math.max(start, unitStart);
            long to = Math.min(end, unitStart + unitLength);
            long onDevice = stripe.offset() + unit / factor * unitLength;
            if (onDevice >= merger.limit) {
                return;
            }
            merger.accept(onDevice + (from - unitStart), onDevice + (to - unitStart));
        }
    }

    /** Joins touching runs, leaves out the reserved ranges, clips to the device and hands runs on in order. */
    private static final class Merger {
        private final FileSystem.RangeSink sink;
        private final long limit;
        private long start = -1;
        private long end = -1;

        Merger(FileSystem.RangeSink sink, long limit) {
            this.sink = sink;
            this.limit = limit;
        }

        /** Free bytes [from, to). */
        void accept(long from, long to) throws IOException {
            long at = Math.max(from, RESERVED);
            for (long mirror : BtrfsSuperblock.COPIES) {
                if (mirror < RESERVED) {
                    continue;
                }
                if (mirror >= at && mirror < to) {
                    add(at, mirror);
                    at = mirror + MIRROR_STRIPE;
                } else if (mirror < at && mirror + MIRROR_STRIPE > at) {
                    at = mirror + MIRROR_STRIPE;
                }
            }
            add(at, to);
        }

        private void add(long from, long to) throws IOException {
            long clipped = Math.min(to, limit);
            if (clipped <= from) {
                return;
            }
            if (from == end) {
                end = clipped;
                return;
            }
            flush();
            start = from;
            end = clipped;
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

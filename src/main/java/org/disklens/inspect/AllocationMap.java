package org.disklens.inspect;

import java.io.IOException;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.HostExtent;

/**
 * The allocation of a chain's guest disk as qemu-img {@code map} reports it: for each run, the first layer
 * (from the top) that decides it, and what it is there. Entries stream out in guest order, merged as
 * qemu-img merges them; nothing is kept, so memory does not grow with the disk.
 */
public final class AllocationMap {

    /** Receives merged entries in guest order. */
    @FunctionalInterface
    public interface Sink {
        void accept(MapEntry entry) throws IOException;
    }

    private final ImageChain chain;

    public AllocationMap(ImageChain chain) {
        this.chain = chain;
    }

    /** Streams the whole disk's entries to {@code sink}. */
    public void walk(Sink sink, ProgressListener progress) throws IOException {
        walk(0, chain.virtualSize(), sink, progress);
    }

    /** Streams the entries of {@code [start, end)} to {@code sink}. */
    public void walk(long start, long end, Sink sink, ProgressListener progress) throws IOException {
        MapEntry pending = null;
        long at = start;
        while (at < end) {
            progress.checkCancelled();
            MapEntry entry = entryAt(at, end - at);
            if (pending != null && pending.mergeableWith(entry)) {
                pending = pending.extendedBy(entry);
            } else {
                if (pending != null) {
                    sink.accept(pending);
                }
                pending = entry;
            }
            at += entry.length();
            progress.progress(at - start, end - start);
        }
        if (pending != null) {
            sink.accept(pending);
        }
    }

    /** The unmerged entry at {@code guestOffset}, at most {@code maxLength} long. */
    public MapEntry entryAt(long guestOffset, long maxLength) throws IOException {
        for (int depth = 0; ; depth++) {
            DiskImage layer = chain.layer(depth);
            boolean last = depth == chain.size() - 1;
            if (guestOffset >= layer.virtualSize()) {
                // Past a shorter backing layer the guest reads zeroes, decided here.
                return new MapEntry(guestOffset, maxLength, depth, false, true, false, false, MapEntry.NO_OFFSET);
            }
            Mapping mapping = layer.map(guestOffset, Math.min(maxLength, layer.virtualSize() - guestOffset));
            long length = Math.min(mapping.length(), maxLength);
            switch (mapping) {
                case Mapping.Unallocated unallocated -> {
                    if (last || chain.layer(depth + 1).virtualSize() <= guestOffset) {
                        return new MapEntry(guestOffset, length, depth, false, true, false, false,
                                unallocated.hasHostOffset() ? unallocated.hostOffset() : MapEntry.NO_OFFSET);
                    }
                    maxLength = length;
                }
                case Mapping.Data data -> {
                    return dataEntry(layer, data, guestOffset, length, depth);
                }
                case Mapping.Zero zero -> {
                    return new MapEntry(guestOffset, length, depth, true, true, false, false,
                            zero.hasHostOffset() ? zero.hostOffset() : MapEntry.NO_OFFSET);
                }
                case Mapping.Compressed compressed -> {
                    return new MapEntry(guestOffset, length, depth, true, false, true, true, MapEntry.NO_OFFSET);
                }
                case Mapping.Encrypted encrypted -> {
                    return new MapEntry(guestOffset, length, depth, true, false, true, false, MapEntry.NO_OFFSET);
                }
            }
        }
    }

    private static MapEntry dataEntry(DiskImage layer, Mapping.Data data, long guestOffset, long length, int depth)
            throws IOException {
        if (!layer.recurseIntoHostAllocation(data)) {
            return new MapEntry(guestOffset, length, depth, true, false, true, false, data.hostOffset());
        }
        HostExtent host = data.source().extentAt(data.hostOffset());
        if (host.length() == 0) {
            // Past the end of the host file: reads as zeroes.
            return new MapEntry(guestOffset, length, depth, true, true, true, false, data.hostOffset());
        }
        long refined = Math.min(length, host.length());
        return new MapEntry(guestOffset, refined, depth, true, !host.data(), true, false, data.hostOffset());
    }
}

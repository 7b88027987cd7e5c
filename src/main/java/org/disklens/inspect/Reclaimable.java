package org.disklens.inspect;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;

/**
 * Space the image stores that the guest does not use: bytes of guest runs the chain stores (data in the image or a
 * backing layer, compressed or not) that the guest's file systems mark free. What {@code convert --sparsify} can
 * leave out, and the answer to "why is my image bigger than the guest's df".
 *
 * @param byVolume the same, for each volume of {@link GuestFreeSpace#volumes()} whose free space was read
 */
public record Reclaimable(long total, Map<GuestFreeSpace.VolumeFree, Long> byVolume) {

    /** The reclaimable bytes of volume {@code id}, if its free space was read. */
    public java.util.Optional<Long> of(String id) {
        return byVolume.entrySet().stream().filter(entry -> entry.getKey().volume().id().equals(id))
                .map(Map.Entry::getValue).findFirst();
    }

    /** Walks the chain's allocation only inside the free runs: the cost follows the free map, not the disk. */
    public static Reclaimable of(ImageChain chain, GuestFreeSpace free, ProgressListener progress) throws IOException {
        Map<GuestFreeSpace.VolumeFree, Long> byVolume = new IdentityHashMap<>();
        long total = 0;
        for (GuestFreeSpace.VolumeFree volume : free.volumes()) {
            if (volume.trusted()) {
                long stored = storedIn(chain, volume.free(), progress);
                byVolume.put(volume, stored);
                total += stored;
            }
        }
        return new Reclaimable(total, byVolume);
    }

    /** Bytes of {@code ranges} that some layer of {@code chain} stores. */
    static long storedIn(ImageChain chain, GuestRanges ranges, ProgressListener progress) throws IOException {
        AllocationMap map = new AllocationMap(chain);
        long size = chain.virtualSize();
        long[] stored = {0};
        for (int i = 0; i < ranges.count(); i++) {
            progress.checkCancelled();
            long start = Math.min(ranges.start(i), size);
            long end = Math.min(ranges.end(i), size);
            if (start < end) {
                map.walk(start, end, entry -> {
                    if (entry.data() && !entry.zero()) {
                        stored[0] += entry.length();
                    }
                }, ProgressListener.NONE);
            }
        }
        return stored[0];
    }
}

package org.disklens.inspect;

import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.Volume;

/**
 * One guest file system as {@code df} (and {@code virt-df}) tells it. Size and used are the file system's own
 * counts; available is what its free map marks free (where DiskLens reads it; else size minus used); use% is used over
 * size, rounded up as df rounds it; reclaimable is what the image stores in its free space ({@link Reclaimable}).
 */
public record FileSystemUsage(Volume volume, String type, OptionalLong size, OptionalLong used, OptionalLong available,
                              OptionalLong usePercent, OptionalLong reclaimable) {

    /** The figures of {@code volume}, a volume with a file system, from its free space and reclaimable bytes if read. */
    static FileSystemUsage of(Volume volume, Optional<GuestFreeSpace.VolumeFree> free, Optional<Long> reclaimable) {
        FileSystemInfo info = volume.filesystem().orElseThrow();
        OptionalLong size = info.size();
        OptionalLong freeBytes = free.filter(GuestFreeSpace.VolumeFree::trusted)
                .map(found -> OptionalLong.of(found.free().bytes())).orElse(OptionalLong.empty());
        OptionalLong used = info.used().isPresent() ? info.used()
                : size.isPresent() && freeBytes.isPresent() ? OptionalLong.of(size.getAsLong() - freeBytes.getAsLong())
                : OptionalLong.empty();
        OptionalLong available = freeBytes.isPresent() ? freeBytes
                : size.isPresent() && used.isPresent() ? OptionalLong.of(size.getAsLong() - used.getAsLong())
                : OptionalLong.empty();
        OptionalLong percent = size.isPresent() && used.isPresent() && size.getAsLong() > 0
                ? OptionalLong.of(Math.ceilDiv(used.getAsLong() * 100, size.getAsLong())) : OptionalLong.empty();
        return new FileSystemUsage(volume, info.type(), size, used, available, percent,
                reclaimable.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }
}

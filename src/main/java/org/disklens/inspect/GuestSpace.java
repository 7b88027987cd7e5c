package org.disklens.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.DiskLayout;
import org.disklens.content.GuestView;
import org.disklens.content.Volume;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;

/**
 * How the guest uses its disk, read once: the free space of its file systems, what of it the image still stores
 * (reclaimable), and each file system's size, use and reclaimable bytes as {@code df} lists them (partitions, a file
 * system over the whole disk, logical volumes).
 */
public record GuestSpace(GuestFreeSpace free, Reclaimable reclaimable, List<FileSystemUsage> fileSystems) {

    public static GuestSpace of(ImageChain chain, ProgressListener progress) throws IOException {
        return of(chain, Passphrases.NONE, progress);
    }

    /** As {@link #of(ImageChain, ProgressListener)}, with the file systems inside the LUKS volumes these unlock. */
    public static GuestSpace of(ImageChain chain, Passphrases passphrases, ProgressListener progress)
            throws IOException {
        GuestView guest = new GuestView(chain);
        List<Volume> partitions = DiskLayout.read(guest);
        GuestFreeSpace free = GuestFreeSpace.of(partitions, false, passphrases, progress);
        Reclaimable reclaimable = Reclaimable.of(chain, free, progress);
        List<FileSystemUsage> fileSystems = new ArrayList<>();
        for (Volume volume : DiskLayout.allVolumes(guest, passphrases)) {
            if (volume.browsable() || free.volume(volume.id()).map(GuestFreeSpace.VolumeFree::trusted).orElse(false)) {
                fileSystems.add(FileSystemUsage.of(volume, free.volume(volume.id()), reclaimable.of(volume.id())));
            }
        }
        return new GuestSpace(free, reclaimable, List.copyOf(fileSystems));
    }

    /** The figures of volume {@code id} ({@code -m}'s), if it is one of the listed file systems. */
    public java.util.Optional<FileSystemUsage> fileSystem(String id) {
        return fileSystems.stream().filter(usage -> usage.volume().id().equals(id)).findFirst();
    }
}

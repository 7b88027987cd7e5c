package org.disklens.inspect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * The space of a guest disk that its file systems mark free, from each one's own allocation structures (ext block
 * bitmaps, the FAT, NTFS's $Bitmap, …; swap areas but their first page; LVM extents no logical volume uses; the file
 * systems inside unlocked LUKS volumes), as guest runs. Volumes whose free space
 * cannot be read or trusted (no file system DiskLens knows, encrypted, a journal to replay, a free map that
 * contradicts the files) are left whole, each with the reason.
 *
 * <p>With {@code crossCheck} (what {@code convert --sparsify} asks), a file system's free map is trusted only when it
 * agrees with the file system itself: no file's or directory's data lies in space the map calls free, the volume's
 * first 4 KiB (where every file system DiskLens reads keeps its boot sector or superblock) is not free, and the map
 * frees no more than the superblock's own count says (with 1 % or 1 MiB of slack).
 */
public record GuestFreeSpace(List<VolumeFree> volumes, GuestRanges free) {
    /** The volume {@code id} ({@code -m}'s), if its free space was looked at. */
    public Optional<VolumeFree> volume(String id) {
        return volumes.stream().filter(volume -> volume.volume().id().equals(id)).findFirst();
    }

    /** What must never be free at the start of a volume: boot sectors and superblocks live there. */
    static final long HEAD = 4096;

    /** One volume: what it holds, its free space as guest runs (empty when left whole), or why it is left whole. */
    public record VolumeFree(Volume volume, Optional<FileSystemInfo> filesystem, GuestRanges free,
                             Optional<String> leftWhole) {
        public boolean trusted() {
            return leftWhole.isEmpty();
        }
    }

    /** The free space of every volume of {@code guest}; encrypted volumes stay locked (and whole). */
    public static GuestFreeSpace of(BlockSource guest, boolean crossCheck, ProgressListener progress) throws IOException {
        return of(guest, crossCheck, Passphrases.NONE, progress);
    }

    /** The same, the file systems inside LUKS volumes that {@code passphrases} unlock included. */
    public static GuestFreeSpace of(BlockSource guest, boolean crossCheck, Passphrases passphrases,
                                    ProgressListener progress) throws IOException {
        return of(DiskLayout.read(guest), crossCheck, passphrases, progress);
    }

    /** The free space of {@code partitions} (as {@link DiskLayout#read} found them) and of the volumes inside them. */
    public static GuestFreeSpace of(List<Volume> partitions, boolean crossCheck, ProgressListener progress)
            throws IOException {
        return of(partitions, crossCheck, Passphrases.NONE, progress);
    }

    /**
     * The same, the file systems inside LUKS volumes that {@code passphrases} unlock included (a LUKS volume's own
     * space, its ciphertext, is never free: its type cannot tell).
     */
    public static GuestFreeSpace of(List<Volume> partitions, boolean crossCheck, Passphrases passphrases,
                                    ProgressListener progress) throws IOException {
        List<VolumeFree> found = new ArrayList<>();
        for (Volume volume : partitions) {
            progress.checkCancelled();
            if (volume.detected().isPresent()) {
                // A container's own free space (an LVM PV's unused extents); the volumes inside say theirs below.
                found.add(ofVolume(volume, crossCheck, progress));
            } else {
                found.add(leftWhole(volume, "holds no file system DiskLens knows"));
            }
        }
        for (VolumeContainer.Group group : DiskLayout.groups(partitions, passphrases)) {
            for (VolumeContainer.Inner inner : group.volumes()) {
                if (inner.volume().isPresent() && inner.volume().get().detected().isPresent()) {
                    found.add(ofVolume(inner.volume().get(), crossCheck, progress));
                }
            }
        }
        GuestRanges.Builder all = new GuestRanges.Builder();
        found.stream().filter(VolumeFree::trusted).forEach(volume -> all.addAll(volume.free()));
        return new GuestFreeSpace(List.copyOf(found), all.build());
    }

    private static VolumeFree ofVolume(Volume volume, boolean crossCheck, ProgressListener progress) throws IOException {
        GuestRanges.Builder volumeRuns = new GuestRanges.Builder();
        try {
            volume.detected().orElseThrow().type().freeRanges(volume.bytes(), volumeRuns::add, progress);
        } catch (ImageException untrusted) {
            return leftWhole(volume, untrusted.getMessage());
        }
        GuestRanges free = volumeRuns.build();
        if (crossCheck) {
            Optional<String> contradiction = contradiction(volume, free, progress);
            if (contradiction.isPresent()) {
                return leftWhole(volume, contradiction.get());
            }
        }
        return new VolumeFree(volume, volume.filesystem(), onGuest(volume.placement(), free), Optional.empty());
    }

    private static VolumeFree leftWhole(Volume volume, String why) {
        return new VolumeFree(volume, volume.filesystem(), GuestRanges.NONE, Optional.of(why));
    }

    /** Volume runs to guest runs, through the volume's placement (one run per contiguous piece). */
    private static GuestRanges onGuest(Placement placement, GuestRanges volumeRuns) {
        GuestRanges.Builder guest = new GuestRanges.Builder();
        for (int i = 0; i < volumeRuns.count(); i++) {
            for (long at = volumeRuns.start(i); at < volumeRuns.end(i); ) {
                Placement.GuestRun run = placement.at(at, volumeRuns.end(i) - at);
                guest.add(run.guestOffset(), run.length());
                at += run.length();
            }
        }
        return guest.build();
    }

    /** Why the free map of {@code volume} cannot be trusted, if it cannot (see the class comment). */
    private static Optional<String> contradiction(Volume volume, GuestRanges free, ProgressListener progress)
            throws IOException {
        long size = volume.bytes().size();
        if (free.overlaps(0, Math.min(HEAD, size))) {
            return Optional.of("its free map frees the volume's first 4 KiB (its boot sector or superblock)");
        }
        Optional<FileSystemInfo> info = volume.filesystem();
        if (info.isPresent() && info.get().size().isPresent() && info.get().used().isPresent()) {
            long counted = info.get().size().getAsLong() - info.get().used().getAsLong();
            long slack = Math.max(1L << 20, info.get().size().getAsLong() / 100);
            if (free.bytes() > counted + slack) {
                return Optional.of("its free map frees %d bytes where its own count says %d are free"
                        .formatted(free.bytes(), counted));
            }
        }
        if (!volume.browsable()) {
            return Optional.empty();
        }
        try {
            FileSystem fileSystem = volume.open();
            String[] found = {null};
            fileSystem.walk(fileSystem.root(), entry -> {
                if (found[0] == null) {
                    found[0] = overlapOfData(fileSystem, entry, free).orElse(null);
                }
            }, progress);
            return Optional.ofNullable(found[0]);
        } catch (ImageException unreadable) {
            return Optional.of("its files cannot all be read to check its free map: " + unreadable.getMessage());
        }
    }

    /**
     * Where {@code entry}'s data lies in space the free map calls free, if it does anywhere. Directories are checked
     * where the file system maps them like files (ext does; FAT and NTFS keep them otherwise).
     */
    private static Optional<String> overlapOfData(FileSystem fileSystem, FileEntry entry, GuestRanges free)
            throws IOException {
        if (entry.type() == FileEntry.Type.FILE) {
            return overlap(fileSystem, entry, free);
        }
        if (entry.directory()) {
            try {
                return overlap(fileSystem, entry, free);
            } catch (ImageException | RuntimeException notMappedLikeAFile) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<String> overlap(FileSystem fileSystem, FileEntry entry, GuestRanges free) throws IOException {
        for (long at = 0; at < entry.size(); ) {
            Mapping mapping = fileSystem.map(entry, at, entry.size() - at);
            if (mapping instanceof Mapping.Data data && data.source() == fileSystem.volume()
                    && free.overlaps(data.hostOffset(), data.hostOffset() + mapping.length())) {
                return Optional.of("its free map frees space that %s uses (at 0x%x of the volume)".formatted(
                        entry.path(), data.hostOffset()));
            }
            at += mapping.length();
        }
        return Optional.empty();
    }
}

package org.disklens.content;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.content.partition.Partition;
import org.disklens.content.partition.PartitionTables;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageException;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * What is inside a guest disk: its partitions as volumes, each with the file system found in it; a disk without a
 * partition table but with a file system across it is one volume of scheme {@code none} (index 0).
 */
public final class DiskLayout {
    /** Containers inside containers are opened this many levels deep (LVM inside LUKS inside an LV is three). */
    public static final int MAX_NESTING = 4;

    private DiskLayout() {
    }

    /** The partitions (or, without any, the whole disk when a file system spans it), each probed. */
    public static List<Volume> read(BlockSource disk) throws IOException {
        List<Volume> volumes = new ArrayList<>();
        for (Partition partition : PartitionTables.read(disk)) {
            long length = Math.min(partition.length(), Math.max(0, disk.size() - partition.start()));
            if (length > 0 && partition.start() >= 0) {
                SliceBlockSource bytes = new SliceBlockSource(disk, partition.start(), length);
                volumes.add(Volume.of(partition, bytes, FileSystemTypes.detect(bytes)));
            } else {
                volumes.add(Volume.of(partition, disk, Optional.empty()));
            }
        }
        if (volumes.isEmpty()) {
            wholeDisk(disk).ifPresent(volumes::add);
        }
        return volumes;
    }

    /** The whole disk as a volume, when a file system starts at its first byte (an ISO, a disk without partitions). */
    public static Optional<Volume> wholeDisk(BlockSource disk) throws IOException {
        Optional<FileSystemTypes.Detected> found = FileSystemTypes.detect(disk);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Volume.of(new Partition(0, "none", 0, disk.size(), "", "", "", false), disk, found));
    }

    /**
     * The groups the volume containers among {@code volumes} make up (LVM volume groups), each inner volume probed
     * like a partition; encrypted containers stay locked.
     */
    public static List<VolumeContainer.Group> groups(List<Volume> volumes) throws IOException {
        return groups(volumes, Passphrases.NONE);
    }

    /**
     * The groups the volume containers among {@code volumes} make up (LVM volume groups, LUKS volumes unlocked with
     * {@code passphrases}), each inner volume probed like a partition, and the groups of the containers found inside
     * those (LVM inside LUKS, LUKS inside an LV), at most {@link #MAX_NESTING} levels deep. Every container type is
     * opened with all its members found at any level, so a volume group whose PVs are partly inside LUKS volumes is
     * read whole; the groups come in the order of their first member.
     */
    public static List<VolumeContainer.Group> groups(List<Volume> volumes, Passphrases passphrases) throws IOException {
        List<VolumeContainer.Group> groups = List.of();
        Set<String> opened = Set.of();
        for (int level = 0; level < MAX_NESTING; level++) {
            Map<FileSystemType, List<Volume>> members = new LinkedHashMap<>();
            Set<String> memberKeys = new HashSet<>();
            List<Volume> candidates = new ArrayList<>(volumes);
            groups.forEach(group -> group.volumes().forEach(inner -> inner.volume().ifPresent(candidates::add)));
            for (Volume volume : candidates) {
                Optional<FileSystemTypes.Detected> found = volume.detected().filter(type -> type.type() instanceof VolumeContainer);
                if (found.isPresent() && memberKeys.add(found.get().type().name() + ":" + volume.id())) {
                    members.computeIfAbsent(found.get().type(), type -> new ArrayList<>()).add(volume);
                }
            }
            if (memberKeys.equals(opened)) {
                break;
            }
            groups = open(members, passphrases);
            opened = memberKeys;
        }
        return groups;
    }

    /** Opens each container type with its members; every inner volume probed. */
    private static List<VolumeContainer.Group> open(Map<FileSystemType, List<Volume>> members, Passphrases passphrases)
            throws IOException {
        List<VolumeContainer.Group> groups = new ArrayList<>();
        for (Map.Entry<FileSystemType, List<Volume>> entry : members.entrySet()) {
            for (VolumeContainer.Group group : ((VolumeContainer) entry.getKey()).open(entry.getValue(), passphrases)) {
                List<VolumeContainer.Inner> probed = new ArrayList<>();
                for (VolumeContainer.Inner inner : group.volumes()) {
                    Optional<Volume> volume = inner.volume().isEmpty() ? Optional.empty()
                            : Optional.of(inner.volume().get().withDetected(FileSystemTypes.detect(inner.volume().get().bytes())));
                    probed.add(new VolumeContainer.Inner(inner.name(), inner.size(), inner.segments(), volume,
                            inner.unreadable()));
                }
                groups.add(new VolumeContainer.Group(group.kind(), group.facts(), group.memberIds(), probed));
            }
        }
        return groups;
    }

    /**
     * Every volume of the disk that may hold files, in the order {@code -m} lists them: a file system spanning the
     * whole disk (an ISO, even a hybrid one with a partition table), the partitions, then the volumes inside
     * containers (LVM logical volumes); encrypted containers stay locked.
     */
    public static List<Volume> allVolumes(BlockSource disk) throws IOException {
        return allVolumes(disk, Passphrases.NONE);
    }

    /** The same, LUKS volumes unlocked with {@code passphrases} where they can be. */
    public static List<Volume> allVolumes(BlockSource disk, Passphrases passphrases) throws IOException {
        List<Volume> partitions = read(disk);
        return allVolumes(disk, partitions, groups(partitions, passphrases));
    }

    private static List<Volume> allVolumes(BlockSource disk, List<Volume> partitions, List<VolumeContainer.Group> groups)
            throws IOException {
        List<Volume> all = new ArrayList<>();
        wholeDisk(disk).filter(Volume::browsable).ifPresent(all::add);
        all.addAll(partitions.stream().filter(volume -> volume.partition().orElseThrow().index() != 0).toList());
        for (VolumeContainer.Group group : groups) {
            group.volumes().forEach(inner -> inner.volume().ifPresent(all::add));
        }
        return all;
    }

    /**
     * The file system a command reads: the volume {@code -m} names ({@code id}), or without it the disk's only file
     * system DiskLens can list (one spanning the whole disk, like an ISO, comes first); encrypted volumes stay locked.
     */
    public static Volume select(BlockSource disk, Optional<String> id) throws IOException {
        return select(disk, id, Passphrases.NONE);
    }

    /**
     * The same, LUKS volumes unlocked with {@code passphrases}. A locked LUKS volume that {@code -m} names, or that is
     * all the disk holds besides what DiskLens cannot list, fails with why it stays locked (no passphrase, a wrong
     * one, a refused header).
     */
    public static Volume select(BlockSource disk, Optional<String> id, Passphrases passphrases) throws IOException {
        List<Volume> partitions = read(disk);
        List<VolumeContainer.Group> groups = groups(partitions, passphrases);
        List<Volume> volumes = allVolumes(disk, partitions, groups);
        List<Volume> browsable = volumes.stream().filter(Volume::browsable).toList();
        List<VolumeContainer.Inner> locked = groups.stream().filter(group -> group.kind().equals("luks"))
                .flatMap(group -> group.volumes().stream()).filter(inner -> inner.unreadable().isPresent()).toList();
        if (id.isPresent()) {
            Optional<Volume> found = volumes.stream().filter(volume -> volume.id().equals(id.get())).findFirst();
            if (found.isEmpty()) {
                refuseContainer(disk, id.get(), groups);
                Optional<VolumeContainer.Inner> lockedOne = locked.stream().filter(inner -> inner.name().equals(id.get()))
                        .findFirst();
                if (lockedOne.isPresent()) {
                    throw new ImageException(lockedOne.get().unreadable().orElseThrow());
                }
            }
            Volume named = found.orElseThrow(() -> new UnsupportedFeature("%s has no volume %s (%s)".formatted(disk.name(),
                    id.get(), choices(disk, browsable))));
            if (!named.browsable()) {
                refuseContainer(disk, id.get(), groups);
                throw new UnsupportedFeature("volume %s of %s holds %s, whose files DiskLens cannot list".formatted(
                        id.get(), disk.name(), named.filesystem().map(FileSystemInfo::type).orElse("no file system it knows")));
            }
            return named;
        }
        Optional<Volume> whole = browsable.stream().filter(volume -> volume.id().equals("0")).findFirst();
        if (whole.isPresent()) {
            return whole.get();
        }
        if (browsable.size() == 1) {
            return browsable.getFirst();
        }
        if (browsable.isEmpty()) {
            if (!locked.isEmpty()) {
                throw new ImageException(locked.getFirst().unreadable().orElseThrow());
            }
            throw new UnsupportedFeature("no file system DiskLens can list found in " + disk.name());
        }
        throw new UnsupportedFeature("%s holds %d file systems: %s".formatted(disk.name(), browsable.size(),
                choices(disk, browsable)));
    }

    /**
     * A LUKS volume that {@code -m} names fails naming the volume inside it to give instead, or why that one stays
     * locked.
     */
    private static void refuseContainer(BlockSource disk, String id, List<VolumeContainer.Group> groups)
            throws ImageException {
        for (VolumeContainer.Group group : groups) {
            if (group.kind().equals("luks") && group.memberIds().contains(id) && !group.volumes().isEmpty()) {
                VolumeContainer.Inner inner = group.volumes().getFirst();
                throw new ImageException("volume %s of %s is encrypted (LUKS): its contents are volume %s%s".formatted(id,
                        disk.name(), inner.name(), inner.unreadable().map(why -> ", " + why)
                                .orElse(" (-m " + inner.name() + ")")));
            }
        }
    }

    private static String choices(BlockSource disk, List<Volume> browsable) {
        return browsable.isEmpty() ? "none holds a file system DiskLens can list"
                : String.join(", ", browsable.stream().map(DiskLayout::choice).toList());
    }

    /** {@code -m 2 (ext4 "root")}. */
    static String choice(Volume volume) {
        FileSystemInfo info = volume.filesystem().orElseThrow();
        return "-m %s (%s%s)".formatted(volume.id(), info.type(), info.label().isEmpty() ? "" : " \"" + info.label() + "\"");
    }
}

package org.disklens.content;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.partition.Partition;
import org.disklens.content.partition.PartitionTables;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * What is inside a guest disk: its partitions as volumes, each with the file system found in it; a disk without a
 * partition table but with a file system across it is one volume of scheme {@code none} (index 0).
 */
public final class DiskLayout {
    private DiskLayout() {
    }

    /** The partitions (or, without any, the whole disk when a file system spans it), each probed. */
    public static List<Volume> read(BlockSource disk) throws IOException {
        List<Volume> volumes = new ArrayList<>();
        for (Partition partition : PartitionTables.read(disk)) {
            long length = Math.min(partition.length(), Math.max(0, disk.size() - partition.start()));
            if (length > 0 && partition.start() >= 0) {
                SliceBlockSource bytes = new SliceBlockSource(disk, partition.start(), length);
                volumes.add(new Volume(partition, bytes, FileSystemTypes.detect(bytes)));
            } else {
                volumes.add(new Volume(partition, disk, Optional.empty()));
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
        return Optional.of(new Volume(new Partition(0, "none", 0, disk.size(), "", "", "", false), disk, found));
    }

    /**
     * The file system a command reads when none is named: one spanning the whole disk (an ISO, even a hybrid one
     * with a partition table), else the only one among the partitions that DiskLens can list.
     */
    public static Volume onlyBrowsable(BlockSource disk) throws IOException {
        Optional<Volume> whole = wholeDisk(disk).filter(Volume::browsable);
        if (whole.isPresent()) {
            return whole.get();
        }
        List<Volume> browsable = read(disk).stream().filter(Volume::browsable).toList();
        if (browsable.size() == 1) {
            return browsable.getFirst();
        }
        if (browsable.isEmpty()) {
            throw new UnsupportedFeature("no ISO 9660 or UDF file system found in " + disk.name());
        }
        throw new UnsupportedFeature("%s holds %d file systems; name one with -m (%s)".formatted(disk.name(),
                browsable.size(), String.join(", ", browsable.stream().map(DiskLayout::choice).toList())));
    }

    /** {@code -m 2 (ext4 "root")}. */
    static String choice(Volume volume) {
        FileSystemInfo info = volume.filesystem().orElseThrow();
        return "-m %s (%s%s)".formatted(volume.id(), info.type(), info.label().isEmpty() ? "" : " \"" + info.label() + "\"");
    }
}

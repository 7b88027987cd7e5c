package org.disklens.content;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.filesystem.FileSystemInfo;
import org.disklens.content.filesystem.FileSystems;
import org.disklens.content.partition.Partition;
import org.disklens.content.partition.PartitionTables;
import org.disklens.io.BlockSource;
import org.disklens.io.SliceBlockSource;

/**
 * What is inside a guest disk: its partitions, each with the file system found in it; a disk without a
 * partition table but with a file system across it is one volume of scheme {@code none}.
 */
public final class DiskLayout {
    private DiskLayout() {
    }

    /** A partition (or the whole disk) and what it holds. */
    public record Volume(Partition partition, Optional<FileSystemInfo> filesystem) {
    }

    public static List<Volume> read(BlockSource disk) throws IOException {
        List<Volume> volumes = new ArrayList<>();
        for (Partition partition : PartitionTables.read(disk)) {
            long length = Math.min(partition.length(), Math.max(0, disk.size() - partition.start()));
            Optional<FileSystemInfo> filesystem = length > 0 && partition.start() >= 0
                    ? FileSystems.detect(new SliceBlockSource(disk, partition.start(), length)) : Optional.empty();
            volumes.add(new Volume(partition, filesystem));
        }
        if (volumes.isEmpty()) {
            Optional<FileSystemInfo> whole = FileSystems.detect(disk);
            if (whole.isPresent()) {
                volumes.add(new Volume(new Partition(0, "none", 0, disk.size(), "", "", "", false), whole));
            }
        }
        return volumes;
    }
}

package org.disklens.content;

import java.io.IOException;
import java.util.Optional;
import org.disklens.content.partition.Partition;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A byte range of the guest disk that can hold a file system: a partition, the whole disk (partition index 0,
 * scheme {@code none}), or a volume inside others (an LVM logical volume, which has no partition of its own).
 *
 * @param id          what {@code -m} selects it by: the partition's index ({@code 0} for the whole disk), or
 *                    {@code VG/LV} for a logical volume
 * @param description how people call it: "Partition 2", "whole disk", "LV vg0/root"
 * @param bytes       its bytes, read through the guest disk
 * @param placement   where those bytes are on the guest disk
 * @param detected    what the file-system list found in it
 */
public record Volume(String id, String description, Optional<Partition> partition, BlockSource bytes,
                     Placement placement, Optional<FileSystemTypes.Detected> detected) {

    /** A partition (or the whole disk, index 0) and what was found in it. */
    static Volume of(Partition partition, BlockSource bytes, Optional<FileSystemTypes.Detected> detected) {
        String description = partition.index() == 0 ? "whole disk" : "Partition " + partition.index();
        return new Volume(Integer.toString(partition.index()), description, Optional.of(partition), bytes,
                Placement.contiguous(partition.start()), detected);
    }

    public Optional<FileSystemInfo> filesystem() {
        return detected.map(FileSystemTypes.Detected::info);
    }

    /** Whether DiskLens can list the files of what it holds. */
    public boolean browsable() {
        return detected.map(found -> found.type().browsable()).orElse(false);
    }

    /** Opens the file system it holds, read-only. */
    public FileSystem open() throws IOException {
        if (detected.isEmpty()) {
            throw new UnsupportedFeature("no file system DiskLens knows in " + bytes.name());
        }
        return detected.get().type().open(bytes);
    }

    /** The same volume with what the file-system list found in it. */
    Volume withDetected(Optional<FileSystemTypes.Detected> found) {
        return new Volume(id, description, partition, bytes, placement, found);
    }
}

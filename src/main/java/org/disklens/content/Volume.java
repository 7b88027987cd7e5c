package org.disklens.content;

import java.io.IOException;
import java.util.Optional;
import org.disklens.content.partition.Partition;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A byte range of the guest disk that can hold a file system: a partition, or the whole disk (partition index 0,
 * scheme {@code none}). {@code bytes} reads it; {@code detected} is what the file-system list found in it.
 */
public record Volume(Partition partition, BlockSource bytes, Optional<FileSystemTypes.Detected> detected) {

    /** What {@code -m} selects it by: the partition's index, {@code 0} for the whole disk. */
    public String id() {
        return Integer.toString(partition.index());
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

    /** Where the volume's byte {@code volumeOffset} is on the guest disk. */
    public long guestOffset(long volumeOffset) {
        return partition.start() + volumeOffset;
    }
}

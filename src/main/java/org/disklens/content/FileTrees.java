package org.disklens.content;

import java.io.IOException;
import org.disklens.content.iso.IsoFileSystem;
import org.disklens.content.udf.UdfFileSystem;
import org.disklens.image.UnsupportedFeature;
import org.disklens.image.iso.VolumeDescriptors;
import org.disklens.io.BlockSource;

/** Finds the file tree in a disk's bytes: UDF names first, then Rock Ridge, then Joliet, then ISO 9660. */
public final class FileTrees {
    private FileTrees() {
    }

    public static FileTree open(BlockSource disk) throws IOException {
        if (VolumeDescriptors.hasUdfRecognition(disk) && UdfFileSystem.blockSize(disk).isPresent()) {
            return UdfFileSystem.open(disk);
        }
        if (disk.size() >= VolumeDescriptors.FIRST_DESCRIPTOR + VolumeDescriptors.SECTOR
                && VolumeDescriptors.hasStandardId(disk.read(VolumeDescriptors.FIRST_DESCRIPTOR, 8, java.nio.ByteOrder.LITTLE_ENDIAN))) {
            return IsoFileSystem.open(disk);
        }
        throw new UnsupportedFeature("no ISO 9660 or UDF file system found in " + disk.name());
    }
}

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
        if (hasUdfRecognition(disk) && UdfFileSystem.blockSize(disk).isPresent()) {
            return UdfFileSystem.open(disk);
        }
        if (disk.size() >= VolumeDescriptors.FIRST_DESCRIPTOR + VolumeDescriptors.SECTOR
                && VolumeDescriptors.hasStandardId(disk.read(VolumeDescriptors.FIRST_DESCRIPTOR, 8, java.nio.ByteOrder.LITTLE_ENDIAN))) {
            return IsoFileSystem.open(disk);
        }
        throw new UnsupportedFeature("no ISO 9660 or UDF file system found in " + disk.name());
    }

    /**
     * UDF's volume recognition sequence: an NSR02 or NSR03 descriptor among those from 32 KiB on, one per
     * 2 KiB (or per block, for blocks larger than that).
     */
    public static boolean hasUdfRecognition(BlockSource disk) throws IOException {
        return hasUdfRecognition(disk, VolumeDescriptors.SECTOR) || hasUdfRecognition(disk, 4096);
    }

    private static boolean hasUdfRecognition(BlockSource disk, int step) throws IOException {
        for (int index = 0; index < 64; index++) {
            long at = VolumeDescriptors.FIRST_DESCRIPTOR + index * (long) step;
            if (at + 8 > disk.size()) {
                return false;
            }
            String id = new String(disk.read(at + 1, 5, java.nio.ByteOrder.LITTLE_ENDIAN).array(),
                    java.nio.charset.StandardCharsets.US_ASCII);
            if (id.equals("NSR02") || id.equals("NSR03")) {
                return true;
            }
            if (!id.equals("CD001") && !id.equals("BEA01") && !id.equals("BOOT2") && !id.equals("CDW02")) {
                return false;
            }
        }
        return false;
    }
}

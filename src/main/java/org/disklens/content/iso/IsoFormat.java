package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteOrder;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * ISO 9660 images: {@code CD001} in the first volume descriptor at sector 16. Scores below qcow2 and VMDK
 * (whose magic sits at offset 0) and above raw.
 */
public final class IsoFormat implements ImageFormat {
    @Override
    public String name() {
        return "iso";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < VolumeDescriptors.FIRST_DESCRIPTOR + VolumeDescriptors.SECTOR) {
            return 0;
        }
        var sector = source.read(VolumeDescriptors.FIRST_DESCRIPTOR, 8, ByteOrder.LITTLE_ENDIAN);
        return VolumeDescriptors.hasStandardId(sector) ? 50 : 0;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return IsoImage.open(source);
    }
}

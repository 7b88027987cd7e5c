package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.content.OnDiskText;
import org.disklens.content.VolumeRecognition;
import org.disklens.io.BlockSource;

/**
 * ISO 9660 (with Rock Ridge and Joliet names): recognised by {@code CD001} at 32 KiB. As blkid, a volume that also
 * carries an NSR descriptor among sectors 17 to 31 is named {@code udf}; the label is the volume identifier and the
 * UUID the creation time's digits.
 */
public final class Iso9660Type implements FileSystemType {
    @Override
    public String name() {
        return "iso9660";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        if (volume.size() < VolumeRecognition.FIRST_DESCRIPTOR + VolumeRecognition.SECTOR) {
            return Optional.empty();
        }
        ByteBuffer descriptor = volume.read(VolumeRecognition.FIRST_DESCRIPTOR, VolumeRecognition.SECTOR,
                ByteOrder.LITTLE_ENDIAN);
        if (!VolumeDescriptors.hasStandardId(descriptor)) {
            return Optional.empty();
        }
        String created = OnDiskText.ascii(descriptor, 813, 16);
        String uuid = created.matches("\\d{16}") ? "%s-%s-%s-%s-%s-%s-%s".formatted(created.substring(0, 4),
                created.substring(4, 6), created.substring(6, 8), created.substring(8, 10), created.substring(10, 12),
                created.substring(12, 14), created.substring(14, 16)) : "";
        long blocks = Integer.toUnsignedLong(descriptor.getInt(80));
        long blockSize = Short.toUnsignedInt(descriptor.getShort(128));
        String type = hasNsrDescriptor(volume) ? "udf" : "iso9660";
        ClaimedSizes sizes = new ClaimedSizes(type, "primary volume descriptor", volume.size());
        OptionalLong size = blockSize == 0 ? sizes.leftOut("logical block size 0")
                : sizes.total("blocks", blocks, blockSize);
        return Optional.of(sizes.info(OnDiskText.text(descriptor, 40, 32), uuid, size, OptionalLong.empty()));
    }

    private static boolean hasNsrDescriptor(BlockSource volume) throws IOException {
        for (int sector = 17; sector < 32 && (sector + 1) * (long) VolumeRecognition.SECTOR <= volume.size(); sector++) {
            String id = VolumeRecognition.identifier(volume, sector * (long) VolumeRecognition.SECTOR);
            if (id.equals("NSR02") || id.equals("NSR03")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        IsoFileSystem tree = IsoFileSystem.open(volume);
        if (VolumeRecognition.hasUdfRecognition(volume)) {
            // The UDF type comes first in the list: it passed this volume over because its anchor is missing.
            tree.warn("udf: anchor volume descriptor at block 256: not found, so the UDF tree cannot be read; "
                    + "the %s tree is read instead".formatted(tree.naming()));
        }
        return tree;
    }
}

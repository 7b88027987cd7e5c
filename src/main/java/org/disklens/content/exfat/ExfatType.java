package org.disklens.content.exfat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.content.OnDiskText;
import org.disklens.io.BlockSource;

/** exFAT: recognised by its boot sector; the label is the volume label entry (0x83) of the root directory. */
public final class ExfatType implements FileSystemType {
    static final int VOLUME_LABEL_ENTRY = 0x83;

    @Override
    public String name() {
        return "exfat";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        Optional<ExfatBootSector> parsed = ExfatBootSector.parse(head);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ExfatBootSector boot = parsed.get();
        ClaimedSizes sizes = new ClaimedSizes("exfat", "boot sector", volume.size());
        return Optional.of(sizes.info(label(boot, volume), OnDiskText.serial(boot.serial()),
                sizes.total("sectors", boot.volumeSectors(), boot.sectorSize()), OptionalLong.empty()));
    }

    /** The label entry in the root directory's first cluster (at most 64 KiB of it read). */
    private static String label(ExfatBootSector boot, BlockSource volume) throws IOException {
        long clusterSize = boot.clusterSize();
        long at = boot.clusterHeapSector() * boot.sectorSize() + (boot.rootCluster() - 2) * clusterSize;
        if (boot.rootCluster() < 2 || at < 0 || at > volume.size() - clusterSize) {
            return "";
        }
        ByteBuffer root = volume.read(at, (int) Math.min(clusterSize, 64 * 1024), ByteOrder.LITTLE_ENDIAN);
        for (int entry = 0; entry + 32 <= root.limit(); entry += 32) {
            int type = Byte.toUnsignedInt(root.get(entry));
            if (type == 0) {
                break;
            }
            if (type == VOLUME_LABEL_ENTRY) {
                int characters = Math.min(11, Byte.toUnsignedInt(root.get(entry + 1)));
                byte[] name = new byte[characters * 2];
                root.get(entry + 2, name);
                return new String(name, StandardCharsets.UTF_16LE);
            }
        }
        return "";
    }
}

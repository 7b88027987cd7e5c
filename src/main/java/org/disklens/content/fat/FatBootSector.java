package org.disklens.content.fat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The BIOS parameter block of a FAT12/16/32 boot sector (Microsoft's fatgen103, section 3): recognised by the
 * {@code 0x55AA} signature and the file system type text ({@code FAT12}/{@code FAT16} at 54, {@code FAT32   } at 82),
 * as blkid recognises it; sector size 512 B to 4 KiB and a non-zero cluster size. {@code fat32} and
 * {@code sectorsPerFat} follow the type text (what the probe answers with); opening the file system goes by the
 * BPB's own fields instead ({@code fatSize16}, {@code fatSize32}, {@code extFlags}, {@code version},
 * {@code rootCluster}: FAT32's only when {@code fatSize16} is 0), see {@link FatLayout}.
 */
record FatBootSector(boolean fat32, long sectorSize, long sectorsPerCluster, long reservedSectors, long fatCount,
                     long rootEntries, long totalSectors, long sectorsPerFat, long fsInfoSector, int serial,
                     String label, long fatSize16, long fatSize32, int extFlags, int version, long rootCluster) {
    static Optional<FatBootSector> parse(ByteBuffer bytes) {
        ByteBuffer boot = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (boot.get(510) != 0x55 || boot.get(511) != (byte) 0xAA) {
            return Optional.empty();
        }
        boolean fat32 = OnDiskText.ascii(boot, 82, 8).equals("FAT32   ");
        boolean fat1x = OnDiskText.ascii(boot, 54, 5).equals("FAT12") || OnDiskText.ascii(boot, 54, 5).equals("FAT16");
        if (!fat32 && !fat1x) {
            return Optional.empty();
        }
        long sectorSize = Short.toUnsignedInt(boot.getShort(11));
        long perCluster = Byte.toUnsignedInt(boot.get(13));
        if (sectorSize < 512 || sectorSize > 4096 || perCluster == 0) {
            return Optional.empty();
        }
        long total = Short.toUnsignedInt(boot.getShort(19));
        total = total != 0 ? total : Integer.toUnsignedLong(boot.getInt(32));
        long fatSectors = fat32 ? Integer.toUnsignedLong(boot.getInt(36)) : Short.toUnsignedInt(boot.getShort(22));
        int serialAt = fat32 ? 67 : 39;
        return Optional.of(new FatBootSector(fat32, sectorSize, perCluster, Short.toUnsignedInt(boot.getShort(14)),
                Byte.toUnsignedInt(boot.get(16)), Short.toUnsignedInt(boot.getShort(17)), total, fatSectors,
                Short.toUnsignedInt(boot.getShort(48)), boot.getInt(serialAt), OnDiskText.text(boot, serialAt + 4, 11),
                Short.toUnsignedInt(boot.getShort(22)), Integer.toUnsignedLong(boot.getInt(36)),
                Short.toUnsignedInt(boot.getShort(40)), Short.toUnsignedInt(boot.getShort(42)),
                Integer.toUnsignedLong(boot.getInt(44))));
    }

    /** Clusters in the data region. */
    long clusters() {
        long rootSectors = (rootEntries * 32 + sectorSize - 1) / sectorSize;
        return (totalSectors - reservedSectors - fatCount * sectorsPerFat - rootSectors) / sectorsPerCluster;
    }
}

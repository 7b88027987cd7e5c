package org.disklens.content.fat;

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
import org.disklens.io.BlockSource;

/** FAT12, FAT16 and FAT32 ({@code vfat}, as blkid names them all): recognised by the boot sector. */
public final class FatType implements FileSystemType {
    static final int FSINFO_LEAD = 0x41615252;
    static final int FSINFO_STRUCT = 0x61417272;

    @Override
    public String name() {
        return "vfat";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        Optional<FatBootSector> parsed = FatBootSector.parse(head);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        FatBootSector boot = parsed.get();
        ClaimedSizes sizes = new ClaimedSizes("vfat", "boot sector", volume.size());
        OptionalLong size = sizes.total("sectors", boot.totalSectors(), boot.sectorSize());
        OptionalLong used = boot.fat32() ? fat32Used(boot, volume, sizes, size) : OptionalLong.empty();
        return Optional.of(sizes.info(boot.label().equals("NO NAME") ? "" : boot.label(), OnDiskText.serial(boot.serial()),
                size, used));
    }

    /** FAT32 keeps a free-cluster count in its FSInfo sector (0xFFFFFFFF: unknown). */
    private static OptionalLong fat32Used(FatBootSector boot, BlockSource volume, ClaimedSizes sizes, OptionalLong size)
            throws IOException {
        long at = boot.fsInfoSector() * boot.sectorSize();
        if (boot.fsInfoSector() == 0 || at + 512 > volume.size()) {
            return OptionalLong.empty();
        }
        ByteBuffer info = volume.read(at, 512, ByteOrder.LITTLE_ENDIAN);
        if (info.getInt(0) != FSINFO_LEAD || info.getInt(484) != FSINFO_STRUCT) {
            return OptionalLong.empty();
        }
        long free = Integer.toUnsignedLong(info.getInt(488));
        return free == 0xffffffffL ? OptionalLong.empty()
                : sizes.used(size, "clusters", boot.clusters(), free, boot.sectorsPerCluster() * boot.sectorSize());
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return FatFileSystem.open(volume);
    }
}

package org.disklens.content.fat;

import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.UnsupportedFeature;

/**
 * Where a FAT volume keeps its parts, decided from a validated BPB (fatgen103, section 3): the active FAT, the fixed
 * root directory (FAT12/16) or the root's first cluster (FAT32), the data region and its cluster count. All offsets
 * are bytes from the volume's start.
 *
 * <p>The kind follows fatgen103's cluster-count rule, except that a BPB of FAT32's shape ({@code BPB_FATSz16} = 0)
 * is read as FAT32 whatever its cluster count, as Linux, mtools and dosfstools do (mkfs.vfat -F 32 makes such small
 * volumes; the count rule would leave them without a root directory): that gives a warning. A FAT12/16-shaped BPB
 * whose count calls for FAT32 is refused, since its 16-bit entries cannot number those clusters.
 */
record FatLayout(FatKind kind, int sectorSize, int clusterSize, long fatOffset, long totalSectors, long rootOffset,
                 int rootEntries, long rootCluster, long dataOffset, long clusterCount) {
    static final String NAMING = "vfat";

    static FatLayout of(FatBootSector boot) throws ImageException {
        int sectorSize = (int) boot.sectorSize();
        long perCluster = boot.sectorsPerCluster();
        require(Long.bitCount(sectorSize) == 1, 11, "bytes per sector %d is not a power of two".formatted(sectorSize));
        require(perCluster <= 128 && Long.bitCount(perCluster) == 1, 13,
                "sectors per cluster %d is not a power of two from 1 to 128".formatted(perCluster));
        require(boot.reservedSectors() >= 1, 14, "no reserved sectors (the boot sector is one)");
        require(boot.fatCount() >= 1, 16, "no FAT");
        boolean fat32Shape = boot.fatSize16() == 0;
        long fatSectors = fat32Shape ? boot.fatSize32() : boot.fatSize16();
        require(fatSectors > 0, 22, "sectors per FAT is 0");
        require(fat32Shape == (boot.rootEntries() == 0), 17, fat32Shape
                ? "a FAT32 BPB with %d fixed root directory entries".formatted(boot.rootEntries())
                : "a FAT12/16 BPB without root directory entries");
        long rootSectors = (boot.rootEntries() * 32 + sectorSize - 1) / sectorSize;
        long fatStart = boot.reservedSectors();
        long rootStart = fatStart + boot.fatCount() * fatSectors;
        long dataStart = rootStart + rootSectors;
        require(boot.totalSectors() > dataStart, 19, "the data region starts at sector %d, past the volume's %d sectors"
                .formatted(dataStart, boot.totalSectors()));
        long clusters = (boot.totalSectors() - dataStart) / perCluster;
        require(clusters > 0, 13, "no whole cluster fits after the data region's start");
        FatKind kind = fat32Shape ? FatKind.FAT32 : FatKind.byClusterCount(clusters);
        require(kind != FatKind.FAT32 || fat32Shape, 22, "%d clusters need FAT32, but the BPB is FAT12/16's"
                .formatted(clusters));
        require(clusters <= kind.maxClusters, 19, "%d clusters are more than %s can number".formatted(clusters, kind));
        long fatEntriesEnd = kind == FatKind.FAT12 ? ((clusters + 2) * 3 + 1) / 2 : kind.entryOffset(clusters + 2);
        require(fatEntriesEnd <= fatSectors * sectorSize, 22, "a FAT of %d sectors cannot hold %d clusters"
                .formatted(fatSectors, clusters));
        long activeFat = 0;
        long rootCluster = 0;
        if (kind == FatKind.FAT32) {
            if (boot.version() != 0) {
                throw new UnsupportedFeature(NAMING, "boot sector", 42, "FAT32 version %d.%d (only 0.0 is defined)"
                        .formatted(boot.version() >>> 8, boot.version() & 0xff));
            }
            rootCluster = boot.rootCluster();
            require(rootCluster >= 2 && rootCluster <= clusters + 1, 44,
                    "root directory cluster %d is outside clusters 2 to %d".formatted(rootCluster, clusters + 1));
            boolean mirroringOff = (boot.extFlags() & 0x80) != 0;
            activeFat = mirroringOff ? boot.extFlags() & 0x0f : 0;
            require(activeFat < boot.fatCount(), 40, "active FAT %d of %d".formatted(activeFat, boot.fatCount()));
        }
        return new FatLayout(kind, sectorSize, (int) (sectorSize * perCluster),
                (fatStart + activeFat * fatSectors) * sectorSize, boot.totalSectors(), rootStart * sectorSize,
                (int) boot.rootEntries(), rootCluster, dataStart * sectorSize, clusters);
    }

    private static void require(boolean condition, long fieldOffset, String problem) throws CorruptImage {
        if (!condition) {
            throw new CorruptImage(NAMING, "boot sector", fieldOffset, problem);
        }
    }

    /** Soft findings: a FAT32 with fewer clusters than fatgen103 allows, a volume shorter than its boot sector says. */
    List<String> warnings(long volumeBytes) {
        List<String> warnings = new ArrayList<>();
        if (kind == FatKind.FAT32 && clusterCount < 65525) {
            warnings.add("%s: boot sector: FAT32 with only %d clusters (fatgen103 asks for 65525 or more); read as FAT32, as Linux does"
                    .formatted(NAMING, clusterCount));
        }
        long declared = totalSectors * sectorSize;
        if (volumeBytes < declared) {
            warnings.add("%s: boot sector: the volume is %d bytes, %d fewer than its %d sectors".formatted(NAMING,
                    volumeBytes, declared - volumeBytes, totalSectors));
        }
        return warnings;
    }

    /** The last valid cluster number (clusters are numbered from 2). */
    long lastCluster() {
        return clusterCount + 1;
    }

    /** Where cluster {@code cluster}'s bytes start (fatgen103: FirstDataSector + (N - 2) * BPB_SecPerClus). */
    long clusterOffset(long cluster) {
        return dataOffset + (cluster - 2) * clusterSize;
    }
}

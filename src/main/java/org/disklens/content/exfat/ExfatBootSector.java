package org.disklens.content.exfat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The exFAT main boot sector (Microsoft's exFAT specification, section 3.1): file system name {@code EXFAT   },
 * volume length, cluster heap offset, first cluster of the root directory, serial, and the sector and cluster
 * shifts, which must lie in the specification's ranges (512 B to 4 KiB sectors, clusters up to 32 MiB): outside
 * them the sizes computed from them would overflow.
 */
record ExfatBootSector(long volumeSectors, long clusterHeapSector, long rootCluster, int serial, int sectorShift,
                       int clusterShift) {
    static Optional<ExfatBootSector> parse(ByteBuffer bytes) {
        ByteBuffer boot = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int sectorShift = boot.get(108);
        int clusterShift = boot.get(109);
        boolean validShifts = sectorShift >= 9 && sectorShift <= 12 && clusterShift >= 0 && clusterShift <= 25 - sectorShift;
        if (!OnDiskText.ascii(boot, 3, 8).equals("EXFAT   ") || !validShifts) {
            return Optional.empty();
        }
        return Optional.of(new ExfatBootSector(boot.getLong(72), Integer.toUnsignedLong(boot.getInt(88)),
                Integer.toUnsignedLong(boot.getInt(96)), boot.getInt(100), sectorShift, clusterShift));
    }

    long sectorSize() {
        return 1L << sectorShift;
    }

    long clusterSize() {
        return sectorSize() << clusterShift;
    }
}

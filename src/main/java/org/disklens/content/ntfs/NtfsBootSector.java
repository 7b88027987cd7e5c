package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The NTFS boot sector (libyal's libfsntfs "NTFS volume header"): OEM id {@code NTFS    }, bytes per sector (256 B to
 * 4 KiB, a power of two, as blkid requires: anything else is not an NTFS boot sector, and a tiny one would put the
 * update-sequence fix-ups before a record's start), sectors per cluster, total sectors, the MFT's first cluster,
 * the MFT record size code, the volume serial and the first cluster of the MFT's mirror.
 */
record NtfsBootSector(long sectorSize, int sectorsPerCluster, long totalSectors, long mftCluster, int recordSizeCode,
                      long serial, long mirrorCluster) {
    static Optional<NtfsBootSector> parse(ByteBuffer bytes) {
        ByteBuffer boot = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long sectorSize = Short.toUnsignedInt(boot.getShort(11));
        boolean validSector = sectorSize >= 256 && sectorSize <= 4096 && Long.bitCount(sectorSize) == 1;
        if (!OnDiskText.ascii(boot, 3, 8).equals("NTFS    ") || !validSector) {
            return Optional.empty();
        }
        return Optional.of(new NtfsBootSector(sectorSize, Byte.toUnsignedInt(boot.get(13)), boot.getLong(40),
                boot.getLong(48), boot.get(64), boot.getLong(72), boot.getLong(56)));
    }

    long clusterSize() {
        return sectorSize * sectorsPerCluster;
    }

    /** A negative code is a power of two in bytes; a positive one counts clusters. */
    long recordSize() {
        return recordSizeCode < 0 ? 1L << -recordSizeCode : recordSizeCode * clusterSize();
    }
}

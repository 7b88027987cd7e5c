package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * The sizes the boot sector gives, validated: cluster size (the sectors-per-cluster byte is a count up to 128 or,
 * from 0xF4, a power of two {@code 2^(256-n)}), cluster count, the MFT's first cluster and the MFT record size
 * (a negative code is {@code 2^-code} bytes, a positive one counts clusters).
 */
record Geometry(int sectorSize, int clusterSize, long clusterCount, long mftCluster, long mirrorCluster,
                int recordSize) {
    static final String NAMING = "ntfs";
    /** NTFS's own limits: clusters up to 2 MiB, records from 512 B (one fix-up stride) to 64 KiB. */
    static final int MAX_CLUSTER = 2 << 20;
    static final int MIN_RECORD = 512;
    static final int MAX_RECORD = 64 << 10;

    static Geometry of(NtfsBootSector boot) throws CorruptImage, LimitExceeded, UnsupportedFeature {
        int sectorSize = (int) boot.sectorSize();
        long sectorsPerCluster = sectorsPerCluster(boot.sectorsPerCluster());
        long clusterSize = sectorSize * sectorsPerCluster;
        if (sectorsPerCluster <= 0 || clusterSize > MAX_CLUSTER) {
            throw new CorruptImage(NAMING, "boot sector", 13, "sectors per cluster byte 0x%02x is not a valid size"
                    .formatted(boot.sectorsPerCluster()));
        }
        long clusterCount = boot.totalSectors() / sectorsPerCluster;
        if (boot.totalSectors() <= 0 || clusterCount == 0) {
            throw new CorruptImage(NAMING, "boot sector", 40, "the volume has %d sectors".formatted(boot.totalSectors()));
        }
        if (boot.mftCluster() < 0 || boot.mftCluster() >= clusterCount) {
            throw new CorruptImage(NAMING, "boot sector", 48, "the MFT's cluster %d lies past the volume's %d clusters"
                    .formatted(boot.mftCluster(), clusterCount));
        }
        long recordSize = boot.recordSizeCode() < 0
                ? (boot.recordSizeCode() < -31 ? -1 : 1L << -boot.recordSizeCode())
                : boot.recordSizeCode() * clusterSize;
        if (recordSize < MIN_RECORD || recordSize > MAX_RECORD || Long.bitCount(recordSize) != 1) {
            throw new LimitExceeded(NAMING, "boot sector", 64, "MFT record size code %d (%d bytes) is outside 512 B to 64 KiB"
                    .formatted(boot.recordSizeCode(), recordSize));
        }
        return new Geometry(sectorSize, (int) clusterSize, clusterCount, boot.mftCluster(), boot.mirrorCluster(),
                (int) recordSize);
    }

    /** 1 to 128 sectors as they are; 0xF4..0xFF as {@code 2^(256-n)}; anything else is invalid (-1). */
    private static long sectorsPerCluster(int code) {
        if (code >= 1 && code <= 128 && Integer.bitCount(code) == 1) {
            return code;
        }
        return code >= 0xF4 ? 1L << (256 - code) : -1;
    }

    long bytes(long clusters) {
        return clusters * clusterSize;
    }

    /** Reads {@code length} bytes of the volume, refusing ranges the volume does not hold (a damaged pointer). */
    static ByteBuffer read(BlockSource volume, long volumeOffset, int length, String what) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        readInto(volume, volumeOffset, bytes, what);
        return bytes.flip();
    }

    static void readInto(BlockSource volume, long volumeOffset, ByteBuffer dst, String what) throws IOException {
        readInto(volume, volumeOffset, dst, () -> what);
    }

    static void readInto(BlockSource volume, long volumeOffset, ByteBuffer dst, Supplier<String> what) throws IOException {
        long size = volume.size();
        if (volumeOffset < 0 || volumeOffset > size - dst.remaining()) {
            throw new CorruptImage(NAMING, what.get(), volumeOffset, "%d bytes lie past the end of the volume (0x%x)"
                    .formatted(dst.remaining(), size));
        }
        volume.read(volumeOffset, dst);
    }
}

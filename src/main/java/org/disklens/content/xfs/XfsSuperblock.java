package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The XFS superblock ("XFS Algorithms &amp; Data Structures", chapter 12; the kernel's {@code struct xfs_dsb}),
 * big-endian, at byte 0 of the volume. The first five fields are what the probe reports; the rest is what the reader
 * needs, taken as stored and validated by {@link XfsGeometry}.
 */
record XfsSuperblock(long blockSize, long dataBlocks, long freeDataBlocks, String uuid, String label,
                     long logStart, long rootInode, long agBlocks, long agCount, long logBlocks, int versionNumber,
                     int sectorSize, int inodeSize, int inodesPerBlock, int blockLog, int sectorLog, int inodeLog,
                     int inodesPerBlockLog, int agBlockLog, int inProgress, int directoryBlockLog, int features2,
                     int compatibleFeatures, int readOnlyCompatibleFeatures, int incompatibleFeatures,
                     int logIncompatibleFeatures) {
    static final int SIZE = 512;
    static final int MAGIC = 0x58465342;
    /** Where {@code sb_crc} sits; it is little-endian, as every XFS checksum. */
    static final int CRC_OFFSET = 224;

    static final int VERSION_NUMBER_MASK = 0x000F;
    static final int VERSION_DIRV2 = 0x2000;
    static final int VERSION_MOREBITS = 0x8000;
    static final int FEATURES2_FTYPE = 0x0200;
    static final int INCOMPAT_FTYPE = 0x01;
    static final int INCOMPAT_SPARSE_INODES = 0x02;
    static final int INCOMPAT_META_UUID = 0x04;
    static final int INCOMPAT_BIGTIME = 0x08;
    static final int INCOMPAT_NEEDS_REPAIR = 0x10;
    static final int INCOMPAT_NREXT64 = 0x20;
    static final int INCOMPAT_EXCHANGE_RANGE = 0x40;
    static final int INCOMPAT_PARENT = 0x80;
    /** The incompatible features whose on-disk changes DiskLens reads (or that change nothing it reads). */
    static final int INCOMPAT_KNOWN = INCOMPAT_FTYPE | INCOMPAT_SPARSE_INODES | INCOMPAT_META_UUID | INCOMPAT_BIGTIME
            | INCOMPAT_NEEDS_REPAIR | INCOMPAT_NREXT64 | INCOMPAT_EXCHANGE_RANGE | INCOMPAT_PARENT;

    static Optional<XfsSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(0, SIZE).order(ByteOrder.BIG_ENDIAN);
        if (sb.getInt(0) != MAGIC) {
            return Optional.empty();
        }
        return Optional.of(new XfsSuperblock(Integer.toUnsignedLong(sb.getInt(4)), sb.getLong(8), sb.getLong(144),
                OnDiskText.uuid(sb, 32), OnDiskText.text(sb, 108, 12), sb.getLong(48), sb.getLong(56),
                Integer.toUnsignedLong(sb.getInt(84)), Integer.toUnsignedLong(sb.getInt(88)),
                Integer.toUnsignedLong(sb.getInt(96)), u16(sb, 100), u16(sb, 102), u16(sb, 104), u16(sb, 106), u8(sb, 120),
                u8(sb, 121), u8(sb, 122), u8(sb, 123), u8(sb, 124), u8(sb, 126), u8(sb, 192), sb.getInt(200), sb.getInt(208),
                sb.getInt(212), sb.getInt(216), sb.getInt(220)));
    }

    /** 4 or 5 (5: metadata checksums, self-describing metadata, v3 inodes). */
    int version() {
        return versionNumber & VERSION_NUMBER_MASK;
    }

    boolean v5() {
        return version() == 5;
    }

    boolean hasIncompatible(int feature) {
        return v5() && (incompatibleFeatures & feature) != 0;
    }

    /** Whether directory entries carry a file type byte. */
    boolean fileTypes() {
        return hasIncompatible(INCOMPAT_FTYPE)
                || ((versionNumber & VERSION_MOREBITS) != 0 && (features2 & FEATURES2_FTYPE) != 0);
    }

    private static int u16(ByteBuffer bytes, int at) {
        return Short.toUnsignedInt(bytes.getShort(at));
    }

    private static int u8(ByteBuffer bytes, int at) {
        return Byte.toUnsignedInt(bytes.get(at));
    }
}

package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The ext2/3/4 superblock (the kernel's {@code Documentation/filesystems/ext4/super.rst}), 1024 bytes at byte 1024 of
 * the volume, little-endian. The fields blkid reports (64-bit block counts when {@code INCOMPAT_64BIT} is set), then
 * the geometry and features a reader needs; {@link ExtLayout} validates them. {@code computedChecksum} is the
 * kernel's crc32c of the first 1020 bytes, to compare with {@code storedChecksum} when {@code metadata_csum} is on.
 */
record ExtSuperblock(long blocksCount, long freeBlocksCount, int logBlockSize, int compatible, int incompatible,
                     String uuid, String label,
                     long inodesCount, long firstDataBlock, int logClusterSize, long blocksPerGroup,
                     long clustersPerGroup, long inodesPerGroup, int state, int revLevel, long firstInode,
                     int inodeSizeField, int roCompatible, byte[] uuidBytes, int reservedGdtBlocks, int descSizeField,
                     long firstMetaBg, int checksumType, long backupGroup0, long backupGroup1, int checksumSeed,
                     int storedChecksum, int computedChecksum) {
    static final int OFFSET = 1024;
    static final int SIZE = 1024;
    static final int MAGIC = 0xEF53;

    static final int COMPAT_HAS_JOURNAL = 0x4;
    static final int COMPAT_SPARSE_SUPER2 = 0x200;

    static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    static final int RO_COMPAT_LARGE_FILE = 0x2;
    static final int RO_COMPAT_BTREE_DIR = 0x4;
    /** What ext3 (and ext2) drivers support; anything more makes it ext4, as blkid decides. */
    static final int RO_COMPAT_EXT3_SUPPORTED = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE | RO_COMPAT_BTREE_DIR;
    static final int RO_COMPAT_HUGE_FILE = 0x8;
    static final int RO_COMPAT_GDT_CSUM = 0x10;
    static final int RO_COMPAT_BIGALLOC = 0x200;
    static final int RO_COMPAT_METADATA_CSUM = 0x400;

    static final int INCOMPAT_COMPRESSION = 0x1;
    static final int INCOMPAT_FILETYPE = 0x2;
    static final int INCOMPAT_RECOVER = 0x4;
    static final int INCOMPAT_JOURNAL_DEV = 0x8;
    static final int INCOMPAT_META_BG = 0x10;
    static final int INCOMPAT_EXTENTS = 0x40;
    static final int INCOMPAT_64BIT = 0x80;
    static final int INCOMPAT_MMP = 0x100;
    static final int INCOMPAT_FLEX_BG = 0x200;
    static final int INCOMPAT_EA_INODE = 0x400;
    static final int INCOMPAT_DIRDATA = 0x1000;
    static final int INCOMPAT_CSUM_SEED = 0x2000;
    static final int INCOMPAT_LARGEDIR = 0x4000;
    static final int INCOMPAT_INLINE_DATA = 0x8000;
    static final int INCOMPAT_ENCRYPT = 0x10000;
    static final int INCOMPAT_CASEFOLD = 0x20000;
    /** Incompatible features a read-only reader of files can ignore or follows. */
    static final int INCOMPAT_EXT3_SUPPORTED = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG;
    static final int INCOMPAT_READABLE = INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_META_BG | INCOMPAT_EXTENTS
            | INCOMPAT_64BIT | INCOMPAT_MMP | INCOMPAT_FLEX_BG | INCOMPAT_EA_INODE | INCOMPAT_CSUM_SEED
            | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA | INCOMPAT_ENCRYPT | INCOMPAT_CASEFOLD;

    static final int STATE_ERRORS = 0x2;

    /** The superblock in {@code bytes} (positioned at its first byte), or empty without the magic. */
    static Optional<ExtSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(bytes.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(sb.getShort(56)) != MAGIC) {
            return Optional.empty();
        }
        int incompatible = sb.getInt(96);
        boolean wide = (incompatible & INCOMPAT_64BIT) != 0;
        long blocks = u32(sb, 4) | (wide ? u32(sb, 0x150) << 32 : 0);
        long free = u32(sb, 12) | (wide ? u32(sb, 0x158) << 32 : 0);
        byte[] uuid = new byte[16];
        sb.get(0x68, uuid);
        return Optional.of(new ExtSuperblock(blocks, free, sb.getInt(24), sb.getInt(92), incompatible,
                OnDiskText.uuid(sb, 104), OnDiskText.text(sb, 120, 16),
                u32(sb, 0x0), u32(sb, 0x14), sb.getInt(0x1C), u32(sb, 0x20), u32(sb, 0x24), u32(sb, 0x28),
                u16(sb, 0x3A), sb.getInt(0x4C), u32(sb, 0x54), u16(sb, 0x58), sb.getInt(0x64), uuid, u16(sb, 0xCE),
                u16(sb, 0xFE), u32(sb, 0x104), Byte.toUnsignedInt(sb.get(0x175)), u32(sb, 0x24C), u32(sb, 0x250),
                sb.getInt(0x270), sb.getInt(0x3FC), Checksums.crc32c(Checksums.CRC32C_INITIAL, sb.slice(0, 0x3FC))));
    }

    private static long u32(ByteBuffer bytes, int at) {
        return Integer.toUnsignedLong(bytes.getInt(at));
    }

    private static int u16(ByteBuffer bytes, int at) {
        return Short.toUnsignedInt(bytes.getShort(at));
    }

    long blockSize() {
        return 1024L << Math.min(logBlockSize, 16);
    }

    /**
     * blkid's name: ext4 when a feature goes beyond what ext3 supports (read-only features other than sparse_super,
     * large_file and btree_dir; incompatible ones other than filetype, recover and meta_bg), else ext3 when it has a
     * journal, else ext2. (An ext4 made without extents is still ext4.)
     */
    String type() {
        boolean beyondExt3 = (roCompatible & ~RO_COMPAT_EXT3_SUPPORTED) != 0 || (incompatible & ~INCOMPAT_EXT3_SUPPORTED) != 0;
        if (beyondExt3) {
            return "ext4";
        }
        return (compatible & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
    }

    boolean hasIncompatible(int feature) {
        return (incompatible & feature) != 0;
    }

    boolean hasReadOnlyCompatible(int feature) {
        return (roCompatible & feature) != 0;
    }

    boolean hasCompatible(int feature) {
        return (compatible & feature) != 0;
    }
}

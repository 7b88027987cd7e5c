package org.disklens.content.xfs;

import org.disklens.image.CorruptImage;
import org.disklens.image.UnsupportedFeature;

/**
 * The superblock's geometry, checked as the kernel's {@code xfs_validate_sb_common} checks it, and the address
 * arithmetic built on it: file-system block numbers ({@code agno << agblklog | agbno}) and inode numbers
 * ({@code agno << (agblklog + inopblog) | agbno << inopblog | index}) to volume byte offsets. An allocation group
 * holds {@code sb_agblocks} blocks; only the last may be shorter.
 */
final class XfsGeometry {
    static final String NAMING = "xfs";
    /** The kernel's XFS_MIN_AG_BLOCKS. */
    static final long MIN_AG_BLOCKS = 64;
    /** The kernel's XFS_MAX_AG_BLOCKS (1 TiB of 512-byte blocks): AG block numbers fit 31 bits. */
    static final long MAX_AG_BLOCKS = 1L << 31;
    static final int MAX_DIRECTORY_BLOCK = 65536;

    private final XfsSuperblock superblock;
    private final int blockSize;
    private final long agBlocks;
    private final long agCount;
    private final long dataBlocks;
    private final int agBlockLog;
    private final int inodeSize;
    private final int inodesPerBlockLog;
    private final int directoryBlockSize;

    private XfsGeometry(XfsSuperblock superblock) {
        this.superblock = superblock;
        this.blockSize = (int) superblock.blockSize();
        this.agBlocks = superblock.agBlocks();
        this.agCount = superblock.agCount();
        this.dataBlocks = superblock.dataBlocks();
        this.agBlockLog = superblock.agBlockLog();
        this.inodeSize = superblock.inodeSize();
        this.inodesPerBlockLog = superblock.inodesPerBlockLog();
        this.directoryBlockSize = blockSize << superblock.directoryBlockLog();
    }

    /** The geometry of {@code superblock}, or the first thing about it that cannot be. */
    static XfsGeometry of(XfsSuperblock sb) throws CorruptImage, UnsupportedFeature {
        if (sb.version() != 4 && sb.version() != 5) {
            throw unsupported("version %d (DiskLens reads versions 4 and 5)".formatted(sb.version()));
        }
        if (!sb.v5() && (sb.versionNumber() & XfsSuperblock.VERSION_DIRV2) == 0) {
            throw unsupported("version 1 directories (DiskLens reads version 2 directories)");
        }
        int unknown = sb.v5() ? sb.incompatibleFeatures() & ~XfsSuperblock.INCOMPAT_KNOWN : 0;
        if (unknown != 0) {
            throw unsupported("incompatible features 0x%x that DiskLens does not know".formatted(unknown));
        }
        checkPowerOfTwo("block size", sb.blockSize(), sb.blockLog(), 512, 65536);
        checkPowerOfTwo("sector size", sb.sectorSize(), sb.sectorLog(), 512, 32768);
        checkPowerOfTwo("inode size", sb.inodeSize(), sb.inodeLog(), sb.v5() ? 512 : 256, 2048);
        if (sb.inodeSize() > sb.blockSize() || sb.inodesPerBlock() != sb.blockSize() / sb.inodeSize()
                || sb.inodesPerBlockLog() != sb.blockLog() - sb.inodeLog()) {
            throw corrupt("%d inodes per block (log %d) do not fit inodes of %d bytes in blocks of %d"
                    .formatted(sb.inodesPerBlock(), sb.inodesPerBlockLog(), sb.inodeSize(), sb.blockSize()));
        }
        if (sb.agBlocks() < MIN_AG_BLOCKS || sb.agBlocks() >= MAX_AG_BLOCKS
                || sb.agBlockLog() != 64 - Long.numberOfLeadingZeros(sb.agBlocks() - 1)) {
            throw corrupt("allocation groups of %d blocks (agblklog %d)".formatted(sb.agBlocks(), sb.agBlockLog()));
        }
        if (sb.agBlockLog() + sb.inodesPerBlockLog() > 32) {
            throw corrupt("agblklog %d and inopblog %d leave no bits for the AG number"
                    .formatted(sb.agBlockLog(), sb.inodesPerBlockLog()));
        }
        if (sb.agCount() < 1 || sb.dataBlocks() <= 0 || sb.dataBlocks() > Long.MAX_VALUE / sb.blockSize()
                || sb.dataBlocks() > sb.agCount() * sb.agBlocks()
                || sb.dataBlocks() <= (sb.agCount() - 1) * sb.agBlocks()) {
            throw corrupt("%d allocation groups of %d blocks do not make %d blocks"
                    .formatted(sb.agCount(), sb.agBlocks(), sb.dataBlocks()));
        }
        if (sb.directoryBlockLog() > 16 || (sb.blockSize() << sb.directoryBlockLog()) > MAX_DIRECTORY_BLOCK) {
            throw corrupt("directory blocks of 2^%d file-system blocks".formatted(sb.directoryBlockLog()));
        }
        return new XfsGeometry(sb);
    }

    private static void checkPowerOfTwo(String what, long value, int log, int min, int max) throws CorruptImage {
        if (value < min || value > max || Long.bitCount(value) != 1 || 1L << log != value) {
            throw corrupt("%s %d (log %d) is not a power of two from %d to %d".formatted(what, value, log, min, max));
        }
    }

    private static CorruptImage corrupt(String problem) {
        return new CorruptImage(NAMING, "superblock", 0, problem);
    }

    private static UnsupportedFeature unsupported(String problem) {
        return new UnsupportedFeature(NAMING, "superblock", 0, problem);
    }

    XfsSuperblock superblock() {
        return superblock;
    }

    boolean v5() {
        return superblock.v5();
    }

    int blockSize() {
        return blockSize;
    }

    int sectorSize() {
        return superblock.sectorSize();
    }

    int inodeSize() {
        return inodeSize;
    }

    int directoryBlockSize() {
        return directoryBlockSize;
    }

    /** File-system blocks per directory block. */
    int blocksPerDirectoryBlock() {
        return directoryBlockSize / blockSize;
    }

    long agCount() {
        return agCount;
    }

    long dataBlocks() {
        return dataBlocks;
    }

    /** The last AG is shorter when the data blocks do not fill it. */
    long agLength(long agno) {
        return Math.min(agBlocks, dataBlocks - agno * agBlocks);
    }

    /** Byte offset in the volume of block {@code agbno} of AG {@code agno} (both already checked). */
    long offsetOf(long agno, long agbno) {
        return (agno * agBlocks + agbno) * blockSize;
    }

    long agStartOffset(long agno) {
        return offsetOf(agno, 0);
    }

    /**
     * Where {@code count} blocks from file-system block {@code fsblock} start in the volume; they must lie inside one
     * AG of the file system, or the structure that points there is damaged.
     */
    long offsetOfBlocks(long fsblock, long count, String what, long where) throws CorruptImage {
        long agno = fsblock >>> agBlockLog;
        long agbno = fsblock & ((1L << agBlockLog) - 1);
        if (fsblock < 0 || count < 0 || agno >= agCount || agbno > agLength(agno) - count) {
            throw new CorruptImage(NAMING, what, where, "block 0x%x (+%d) lies outside the file system (%d AGs of %d blocks)"
                    .formatted(fsblock, count, agCount, agBlocks));
        }
        return offsetOf(agno, agbno);
    }

    /** Volume byte offset of inode {@code number}, or why it cannot be one. */
    long inodeOffset(long number) throws CorruptImage {
        int shift = agBlockLog + inodesPerBlockLog;
        long agno = number >>> shift;
        long agbno = (number >>> inodesPerBlockLog) & ((1L << agBlockLog) - 1);
        long index = number & ((1L << inodesPerBlockLog) - 1);
        if (number <= 0 || agno >= agCount || agbno >= agLength(agno)) {
            throw new CorruptImage(NAMING, "inode " + Long.toUnsignedString(number), -1,
                    "is not in the file system (%d AGs of %d blocks)".formatted(agCount, agBlocks));
        }
        return offsetOf(agno, agbno) + index * inodeSize;
    }

    /** The AG an inode number lies in (the number already checked). */
    long agOfInode(long number) {
        return number >>> (agBlockLog + inodesPerBlockLog);
    }
}

package org.disklens.content.ext;

import org.disklens.image.CorruptImage;
import org.disklens.image.UnsupportedFeature;

/**
 * The geometry a superblock describes, validated once: block and cluster size, block groups, inodes, where the group
 * descriptors are (classic table after the superblock, or {@code meta_bg}: one descriptor block at the start of the
 * first, second and last group of each meta group) and which groups hold superblock backups.
 */
record ExtLayout(ExtSuperblock superblock, String naming, int blockSize, int clusterRatio, long groups,
                 int inodeSize, int descriptorSize, long descriptorBlocks, long firstInode, int checksumSeed,
                 boolean metadataChecksums, boolean gdtChecksums) {
    static final int MIN_LOG_BLOCK_SIZE = 0;
    /** 64 KiB, the largest block the kernel mounts. */
    static final int MAX_LOG_BLOCK_SIZE = 6;
    /** Clusters of up to 2^16 blocks, as mke2fs allows. */
    static final int MAX_LOG_CLUSTER_RATIO = 16;
    static final int GOOD_OLD_INODE_SIZE = 128;
    static final int ROOT_INODE = 2;
    /** Group numbers are 32-bit in the kernel. */
    static final long MAX_GROUPS = 1L << 32;

    static ExtLayout of(ExtSuperblock sb) throws CorruptImage, UnsupportedFeature {
        String naming = sb.type();
        int unknown = sb.incompatible() & ~ExtSuperblock.INCOMPAT_READABLE;
        if (sb.hasIncompatible(ExtSuperblock.INCOMPAT_JOURNAL_DEV)) {
            throw refusal(naming, "is an external journal device; it holds no files");
        }
        if (sb.hasIncompatible(ExtSuperblock.INCOMPAT_COMPRESSION)) {
            throw refusal(naming, "uses the experimental compression feature, which DiskLens does not read");
        }
        if (sb.hasIncompatible(ExtSuperblock.INCOMPAT_DIRDATA)) {
            throw refusal(naming, "keeps extra data in directory entries (dirdata), which DiskLens does not read");
        }
        if (unknown != 0) {
            throw refusal(naming, "has incompatible features DiskLens does not know (0x%x)".formatted(unknown));
        }
        if (sb.logBlockSize() < MIN_LOG_BLOCK_SIZE || sb.logBlockSize() > MAX_LOG_BLOCK_SIZE) {
            throw corrupt(naming, "log_block_size %d is not 0 to %d (1 KiB to 64 KiB blocks)"
                    .formatted(Integer.toUnsignedLong(sb.logBlockSize()), MAX_LOG_BLOCK_SIZE));
        }
        int blockSize = 1024 << sb.logBlockSize();
        int clusterRatio = clusterRatio(sb, naming);
        long groups = groups(sb, naming, blockSize, clusterRatio);
        int inodeSize = inodeSize(sb, naming, blockSize);
        int descriptorSize = descriptorSize(sb, naming);
        long descriptorsPerBlock = blockSize / descriptorSize;
        long descriptorBlocks = (groups + descriptorsPerBlock - 1) / descriptorsPerBlock;
        checkInodes(sb, naming, blockSize, groups);
        long firstInode = sb.revLevel() == 0 ? 11 : sb.firstInode();
        boolean metadata = sb.hasReadOnlyCompatible(ExtSuperblock.RO_COMPAT_METADATA_CSUM);
        int seed = sb.hasIncompatible(ExtSuperblock.INCOMPAT_CSUM_SEED) ? sb.checksumSeed()
                : Checksums.crc32c(Checksums.CRC32C_INITIAL, java.nio.ByteBuffer.wrap(sb.uuidBytes()));
        return new ExtLayout(sb, naming, blockSize, clusterRatio, groups, inodeSize, descriptorSize, descriptorBlocks,
                firstInode, seed, metadata, !metadata && sb.hasReadOnlyCompatible(ExtSuperblock.RO_COMPAT_GDT_CSUM));
    }

    private static int clusterRatio(ExtSuperblock sb, String naming) throws CorruptImage {
        if (!sb.hasReadOnlyCompatible(ExtSuperblock.RO_COMPAT_BIGALLOC)) {
            return 1;
        }
        int log = sb.logClusterSize() - sb.logBlockSize();
        if (log < 0 || log > MAX_LOG_CLUSTER_RATIO) {
            throw corrupt(naming, "bigalloc cluster size 2^%d KiB does not fit its %d KiB blocks (ratio up to 2^%d)"
                    .formatted(sb.logClusterSize(), 1 << sb.logBlockSize(), MAX_LOG_CLUSTER_RATIO));
        }
        return 1 << log;
    }

    private static long groups(ExtSuperblock sb, String naming, int blockSize, int clusterRatio) throws CorruptImage {
        long bitsPerBitmap = 8L * blockSize;
        long clustersPerGroup = clusterRatio == 1 ? sb.blocksPerGroup() : sb.clustersPerGroup();
        if (clustersPerGroup == 0 || clustersPerGroup > bitsPerBitmap) {
            throw corrupt(naming, "%d clusters per group do not fit a one-block bitmap (1 to %d)"
                    .formatted(clustersPerGroup, bitsPerBitmap));
        }
        if (sb.blocksPerGroup() != clustersPerGroup * clusterRatio) {
            throw corrupt(naming, "%d blocks per group are not %d clusters of %d blocks"
                    .formatted(sb.blocksPerGroup(), clustersPerGroup, clusterRatio));
        }
        if (sb.blocksCount() <= sb.firstDataBlock() || sb.firstDataBlock() > 1 || sb.blocksCount() < 0
                || sb.blocksCount() > Long.MAX_VALUE / blockSize) {
            throw corrupt(naming, "%s blocks starting at block %d".formatted(Long.toUnsignedString(sb.blocksCount()),
                    sb.firstDataBlock()));
        }
        long groups = (sb.blocksCount() - sb.firstDataBlock() + sb.blocksPerGroup() - 1) / sb.blocksPerGroup();
        if (groups > MAX_GROUPS) {
            throw corrupt(naming, "%d block groups are more than ext4's %d".formatted(groups, MAX_GROUPS));
        }
        return groups;
    }

    private static int inodeSize(ExtSuperblock sb, String naming, int blockSize) throws CorruptImage {
        if (sb.revLevel() == 0) {
            return GOOD_OLD_INODE_SIZE;
        }
        int size = sb.inodeSizeField();
        if (size < GOOD_OLD_INODE_SIZE || size > blockSize || Integer.bitCount(size) != 1) {
            throw corrupt(naming, "inode size %d is not a power of two from 128 to the block size".formatted(size));
        }
        return size;
    }

    private static int descriptorSize(ExtSuperblock sb, String naming) throws CorruptImage {
        if (!sb.hasIncompatible(ExtSuperblock.INCOMPAT_64BIT)) {
            return 32;
        }
        int size = sb.descSizeField();
        if (size < 64 || size > 1024 || Integer.bitCount(size) != 1) {
            throw corrupt(naming, "group descriptor size %d is not a power of two from 64 to 1024".formatted(size));
        }
        return size;
    }

    private static void checkInodes(ExtSuperblock sb, String naming, int blockSize, long groups) throws CorruptImage {
        long perGroup = sb.inodesPerGroup();
        if (perGroup == 0 || perGroup > 8L * blockSize) {
            throw corrupt(naming, "%d inodes per group do not fit a one-block bitmap".formatted(perGroup));
        }
        if (sb.inodesCount() > perGroup * groups || sb.inodesCount() < ROOT_INODE) {
            throw corrupt(naming, "%d inodes do not fit %d groups of %d".formatted(sb.inodesCount(), groups, perGroup));
        }
        if (sb.revLevel() != 0 && (sb.firstInode() < 3 || sb.firstInode() > sb.inodesCount())) {
            throw corrupt(naming, "first ordinary inode %d is out of range".formatted(sb.firstInode()));
        }
    }

    private static CorruptImage corrupt(String naming, String problem) {
        return new CorruptImage(naming, "superblock", ExtSuperblock.OFFSET, problem);
    }

    private static UnsupportedFeature refusal(String naming, String problem) {
        return new UnsupportedFeature(naming, "superblock", ExtSuperblock.OFFSET, "this file system " + problem);
    }

    long blocksCount() {
        return superblock.blocksCount();
    }

    long inodesPerGroup() {
        return superblock.inodesPerGroup();
    }

    long blocksPerGroup() {
        return superblock.blocksPerGroup();
    }

    long clustersPerGroup() {
        return superblock.blocksPerGroup() / clusterRatio;
    }

    long firstDataBlock() {
        return superblock.firstDataBlock();
    }

    long descriptorsPerBlock() {
        return blockSize / descriptorSize;
    }

    /** The first block of group {@code group}. */
    long groupStart(long group) {
        return firstDataBlock() + group * blocksPerGroup();
    }

    /** One past the last block of {@code group}: the last group ends with the file system. */
    long groupEnd(long group) {
        return Math.min(groupStart(group) + blocksPerGroup(), blocksCount());
    }

    boolean has(int incompatibleFeature) {
        return superblock.hasIncompatible(incompatibleFeature);
    }

    /** The kernel's {@code ext4_bg_has_super}: group 0, and under sparse_super only 1 and powers of 3, 5 and 7. */
    boolean hasSuperblockBackup(long group) {
        if (group == 0) {
            return true;
        }
        if (superblock.hasCompatible(ExtSuperblock.COMPAT_SPARSE_SUPER2)) {
            return group == superblock.backupGroup0() || group == superblock.backupGroup1();
        }
        if (!superblock.hasReadOnlyCompatible(ExtSuperblock.RO_COMPAT_SPARSE_SUPER) || group == 1) {
            return true;
        }
        return isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
    }

    private static boolean isPowerOf(long value, int base) {
        long power = base;
        while (power < value) {
            power *= base;
        }
        return power == value;
    }

    /** The kernel's {@code descriptor_loc}: the block holding descriptor block {@code index}. */
    long descriptorBlock(long index) {
        long superblockBlock = superblockBlock();
        if (!has(ExtSuperblock.INCOMPAT_META_BG) || index < superblock.firstMetaBg()) {
            return superblockBlock + index + 1;
        }
        long group = index * descriptorsPerBlock();
        long skip = hasSuperblockBackup(group) ? 1 : 0;
        if (blockSize == 1024 && index == 0 && firstDataBlock() == 0) {
            skip++;
        }
        return groupStart(group) + skip;
    }

    /** The block holding the superblock (byte 1024): block 1 of 1 KiB blocks, else block 0, whatever s_first_data_block. */
    long superblockBlock() {
        return ExtSuperblock.OFFSET / blockSize;
    }

    /** The kernel's {@code ext4_num_base_meta_blocks}: superblock, descriptor and reserved blocks at a group's start. */
    long baseMetadataBlocks(long group) {
        long count = hasSuperblockBackup(group) ? 1 : 0;
        if (group == 0) {
            count += superblockBlock() - firstDataBlock();
        }
        boolean metaGroups = has(ExtSuperblock.INCOMPAT_META_BG);
        if (!metaGroups || group < superblock.firstMetaBg() * descriptorsPerBlock()) {
            if (count != 0) {
                count += metaGroups ? superblock.firstMetaBg() : descriptorBlocks;
                count += superblock.reservedGdtBlocks();
            }
        } else {
            long inMetaGroup = group % descriptorsPerBlock();
            if (inMetaGroup == 0 || inMetaGroup == 1 || inMetaGroup == descriptorsPerBlock() - 1) {
                count++;
            }
        }
        return count;
    }

    /** A volume byte offset of a block, for messages and reads; blocks were checked against the file system's size. */
    long offsetOf(long block) {
        return block * blockSize;
    }
}

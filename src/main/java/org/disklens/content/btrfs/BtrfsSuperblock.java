package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The Btrfs superblock (the kernel's Btrfs on-disk format), little-endian, at 64 KiB into the volume (mirrors at
 * 64 MiB and 256 GiB). The first four fields are what blkid reports; the rest are what a reader needs, all within the
 * first {@link #SIZE} bytes. The system chunk array and the checksum need the whole {@link #BLOCK_SIZE}-byte block:
 * {@link #sysChunkArray} and {@link BtrfsChecksum} read them from it.
 */
record BtrfsSuperblock(long totalBytes, long bytesUsed, String uuid, String label,
                       long bytenr, long flags, long generation, long root, long chunkRoot, long logRoot,
                       long numDevices, int sectorSize, int nodeSize, int sysChunkArraySize, long compatRoFlags,
                       long incompatFlags, int checksumType, int rootLevel, int chunkRootLevel, DevItem device,
                       String metadataUuid) {
    static final int OFFSET = 0x10000;
    static final int SIZE = 0x300;
    static final String MAGIC = "_BHRfS_M";
    /** The whole superblock as written (the checksum covers bytes 0x20 to its end). */
    static final int BLOCK_SIZE = 4096;
    /** Primary, then the mirrors: 64 KiB, 64 MiB, 256 GiB. */
    static final long[] COPIES = {OFFSET, 64L << 20, 256L << 30};
    static final int SYS_CHUNK_ARRAY = 0x32b;
    static final int SYS_CHUNK_ARRAY_MAX = 2048;

    static final long INCOMPAT_MIXED_BACKREF = 1L;
    static final long INCOMPAT_DEFAULT_SUBVOL = 1L << 1;
    static final long INCOMPAT_MIXED_GROUPS = 1L << 2;
    static final long INCOMPAT_COMPRESS_LZO = 1L << 3;
    static final long INCOMPAT_COMPRESS_ZSTD = 1L << 4;
    static final long INCOMPAT_BIG_METADATA = 1L << 5;
    static final long INCOMPAT_EXTENDED_IREF = 1L << 6;
    static final long INCOMPAT_RAID56 = 1L << 7;
    static final long INCOMPAT_SKINNY_METADATA = 1L << 8;
    static final long INCOMPAT_NO_HOLES = 1L << 9;
    static final long INCOMPAT_METADATA_UUID = 1L << 10;
    static final long INCOMPAT_RAID1C34 = 1L << 11;
    static final long INCOMPAT_ZONED = 1L << 12;
    static final long INCOMPAT_EXTENT_TREE_V2 = 1L << 13;
    static final long INCOMPAT_RAID_STRIPE_TREE = 1L << 14;
    static final long INCOMPAT_SIMPLE_QUOTA = 1L << 16;
    /** What a read-only reader of files and trees follows or may ignore. */
    static final long INCOMPAT_READABLE = INCOMPAT_MIXED_BACKREF | INCOMPAT_DEFAULT_SUBVOL | INCOMPAT_MIXED_GROUPS
            | INCOMPAT_COMPRESS_LZO | INCOMPAT_COMPRESS_ZSTD | INCOMPAT_BIG_METADATA | INCOMPAT_EXTENDED_IREF
            | INCOMPAT_RAID56 | INCOMPAT_SKINNY_METADATA | INCOMPAT_NO_HOLES | INCOMPAT_METADATA_UUID
            | INCOMPAT_RAID1C34 | INCOMPAT_SIMPLE_QUOTA;
    static final long COMPAT_RO_BLOCK_GROUP_TREE = 1L << 3;

    static Optional<BtrfsSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(bytes.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (!OnDiskText.ascii(sb, 0x40, 8).equals(MAGIC)) {
            return Optional.empty();
        }
        return Optional.of(new BtrfsSuperblock(sb.getLong(0x70), sb.getLong(0x78), OnDiskText.uuid(sb, 0x20),
                OnDiskText.text(sb, 0x12b, 256), sb.getLong(0x30), sb.getLong(0x38), sb.getLong(0x48), sb.getLong(0x50),
                sb.getLong(0x58), sb.getLong(0x60), sb.getLong(0x88), sb.getInt(0x90), sb.getInt(0x94),
                sb.getInt(0xa0), sb.getLong(0xb4), sb.getLong(0xbc), Short.toUnsignedInt(sb.getShort(0xc4)),
                Byte.toUnsignedInt(sb.get(0xc6)), Byte.toUnsignedInt(sb.get(0xc7)), DevItem.parse(sb.position(0xc9)),
                OnDiskText.uuid(sb, 0x23b)));
    }

    /** The system chunk array of a whole superblock block: (key, chunk item) pairs that map the chunk tree. */
    static ByteBuffer sysChunkArray(ByteBuffer block, int size) {
        return block.slice(SYS_CHUNK_ARRAY, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean has(long incompat) {
        return (incompatFlags & incompat) != 0;
    }

    /** The UUID tree block headers carry: the metadata UUID when that feature is on, else the file system's. */
    String headerUuid() {
        return has(INCOMPAT_METADATA_UUID) ? metadataUuid : uuid;
    }
}

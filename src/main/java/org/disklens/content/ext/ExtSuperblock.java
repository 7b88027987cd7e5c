package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The ext2/3/4 superblock (the kernel's {@code Documentation/filesystems/ext4/super.rst}), 1024 bytes at byte 1024 of
 * the volume, little-endian. The fields blkid reports; 64-bit block counts when {@code INCOMPAT_64BIT} is set.
 */
record ExtSuperblock(long blocksCount, long freeBlocksCount, int logBlockSize, int compatible, int incompatible,
                     String uuid, String label) {
    static final int OFFSET = 1024;
    static final int SIZE = 1024;
    static final int MAGIC = 0xEF53;
    static final int COMPAT_HAS_JOURNAL = 0x4;
    static final int INCOMPAT_EXTENTS = 0x40;
    static final int INCOMPAT_64BIT = 0x80;
    static final int INCOMPAT_FLEX_BG = 0x200;

    /** The superblock in {@code bytes} (positioned at its first byte), or empty without the magic. */
    static Optional<ExtSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(bytes.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(sb.getShort(56)) != MAGIC) {
            return Optional.empty();
        }
        int incompatible = sb.getInt(96);
        boolean wide = (incompatible & INCOMPAT_64BIT) != 0;
        long blocks = Integer.toUnsignedLong(sb.getInt(4)) | (wide ? Integer.toUnsignedLong(sb.getInt(0x150)) << 32 : 0);
        long free = Integer.toUnsignedLong(sb.getInt(12)) | (wide ? Integer.toUnsignedLong(sb.getInt(0x158)) << 32 : 0);
        return Optional.of(new ExtSuperblock(blocks, free, sb.getInt(24), sb.getInt(92), incompatible,
                OnDiskText.uuid(sb, 104), OnDiskText.text(sb, 120, 16)));
    }

    long blockSize() {
        return 1024L << Math.min(logBlockSize, 16);
    }

    /** blkid's name: ext4 when it uses extents, 64-bit or flexible groups; ext3 when it has a journal; else ext2. */
    String type() {
        if ((incompatible & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG)) != 0) {
            return "ext4";
        }
        return (compatible & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
    }
}

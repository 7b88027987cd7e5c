package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Optional;
import org.disklens.image.CorruptImage;

/**
 * One inode ({@code struct ext4_inode}, {@code s_inode_size} bytes): mode, owner, size, times, flags and the 60-byte
 * {@code i_block} area (block numbers, an extent tree root, a fast symlink's target or the first inline bytes).
 * {@code inlineValue} is the {@code system.data} extended attribute of an inode with inline data: the bytes that follow
 * {@code i_block}. {@code checksumMatches} is false only under {@code metadata_csum} when the stored checksum differs.
 */
record Inode(long number, long volumeOffset, int mode, long uid, long gid, long size, int links, int flags,
             long blocks512, long fileAcl, int generation, Instant modified, byte[] blockBytes, byte[] inlineValue,
             int checksumSeed, boolean checksumMatches) {
    static final int S_IFMT = 0xF000;
    static final int S_IFIFO = 0x1000;
    static final int S_IFCHR = 0x2000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFBLK = 0x6000;
    static final int S_IFREG = 0x8000;
    static final int S_IFLNK = 0xA000;
    static final int S_IFSOCK = 0xC000;

    static final int INDEX_FL = 0x1000;
    static final int ENCRYPT_FL = 0x800;
    static final int HUGE_FILE_FL = 0x40000;
    static final int EXTENTS_FL = 0x80000;
    static final int INLINE_DATA_FL = 0x10000000;

    static final int BLOCK_AREA = 0x28;
    static final int BLOCK_AREA_SIZE = 60;
    private static final int CHECKSUM_LO = 0x7C;
    private static final int EXTRA_ISIZE = 0x80;
    private static final int CHECKSUM_HI = 0x82;
    private static final int MTIME_EXTRA = 0x88;

    /**
     * The inode in {@code bytes} (positioned at it, {@code layout.inodeSize()} bytes) at {@code volumeOffset}.
     * Only what would make the inode unreadable is refused: an extra size past the inode, bad inline data.
     */
    static Inode parse(ByteBuffer bytes, long number, long volumeOffset, ExtLayout layout) throws CorruptImage {
        int size = layout.inodeSize();
        ByteBuffer raw = bytes.slice(bytes.position(), size).order(ByteOrder.LITTLE_ENDIAN);
        int extra = size > ExtLayout.GOOD_OLD_INODE_SIZE ? u16(raw, EXTRA_ISIZE) : 0;
        if (ExtLayout.GOOD_OLD_INODE_SIZE + extra > size || (extra & 3) != 0) {
            throw new CorruptImage(layout.naming(), "inode " + number, volumeOffset,
                    "i_extra_isize %d does not fit a %d-byte inode".formatted(extra, size));
        }
        int flags = raw.getInt(0x20);
        long uid = u16(raw, 0x2) | (long) u16(raw, 0x78) << 16;
        long gid = u16(raw, 0x18) | (long) u16(raw, 0x7A) << 16;
        long fileSize = u32(raw, 0x4) | u32(raw, 0x6C) << 32;
        long blocks = u32(raw, 0x1C);
        if (layout.superblock().hasReadOnlyCompatible(ExtSuperblock.RO_COMPAT_HUGE_FILE)) {
            blocks |= (long) u16(raw, 0x74) << 32;
            if ((flags & HUGE_FILE_FL) != 0) {
                blocks *= layout.blockSize() / 512;
            }
        }
        long fileAcl = u32(raw, 0x68) | (long) u16(raw, 0x76) << 32;
        int generation = raw.getInt(0x64);
        byte[] area = new byte[BLOCK_AREA_SIZE];
        raw.get(BLOCK_AREA, area);
        byte[] inline = (flags & INLINE_DATA_FL) != 0
                ? InlineData.systemData(raw, extra, number, volumeOffset, layout) : new byte[0];
        ByteBuffer numberAndGeneration = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) number)
                .putInt(4, generation);
        int seed = layout.metadataChecksums() ? Checksums.crc32c(layout.checksumSeed(), numberAndGeneration) : 0;
        boolean matches = !layout.metadataChecksums() || checksumMatches(raw, extra, seed);
        return new Inode(number, volumeOffset, u16(raw, 0x0), uid, gid, fileSize, u16(raw, 0x1A), flags, blocks, fileAcl,
                generation, modified(raw, extra), area, inline, seed, matches);
    }

    /** mtime: signed 32-bit seconds, plus (in the extra part) 30 bits of nanoseconds and 2 bits of epoch past 2038. */
    private static Instant modified(ByteBuffer raw, int extra) {
        long seconds = raw.getInt(0x10);
        long nanos = 0;
        if (ExtLayout.GOOD_OLD_INODE_SIZE + extra >= MTIME_EXTRA + 4) {
            int timeExtra = raw.getInt(MTIME_EXTRA);
            seconds += (long) (timeExtra & 3) << 32;
            nanos = Math.min(999_999_999, Integer.toUnsignedLong(timeExtra) >>> 2);
        }
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The kernel's {@code ext4_inode_csum}: crc32c of the inode with its checksum fields as zeroes. */
    private static boolean checksumMatches(ByteBuffer raw, int extra, int seed) {
        ByteBuffer copy = ByteBuffer.allocate(raw.capacity()).order(ByteOrder.LITTLE_ENDIAN).put(raw.duplicate().clear()).flip();
        boolean hasHigh = ExtLayout.GOOD_OLD_INODE_SIZE + extra >= CHECKSUM_HI + 2;
        int stored = u16(copy, CHECKSUM_LO) | (hasHigh ? u16(copy, CHECKSUM_HI) << 16 : 0);
        copy.putShort(CHECKSUM_LO, (short) 0);
        if (hasHigh) {
            copy.putShort(CHECKSUM_HI, (short) 0);
        }
        int crc = Checksums.crc32c(seed, copy);
        return hasHigh ? crc == stored : (crc & 0xFFFF) == stored;
    }

    static long u32(ByteBuffer bytes, int at) {
        return Integer.toUnsignedLong(bytes.getInt(at));
    }

    static int u16(ByteBuffer bytes, int at) {
        return Short.toUnsignedInt(bytes.getShort(at));
    }

    int type() {
        return mode & S_IFMT;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean isDirectory() {
        return type() == S_IFDIR;
    }

    /** The i_block area as little-endian numbers. */
    ByteBuffer blockArea() {
        return ByteBuffer.wrap(blockBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Inline content: i_block, then the system.data value, cut to {@code length}. */
    byte[] inlineContent(long length) {
        byte[] content = new byte[(int) Math.min(length, BLOCK_AREA_SIZE + inlineValue.length)];
        System.arraycopy(blockBytes, 0, content, 0, Math.min(content.length, BLOCK_AREA_SIZE));
        if (content.length > BLOCK_AREA_SIZE) {
            System.arraycopy(inlineValue, 0, content, BLOCK_AREA_SIZE, content.length - BLOCK_AREA_SIZE);
        }
        return content;
    }

    /** Where the inline data ends: i_block and the system.data value. */
    long inlineCapacity() {
        return BLOCK_AREA_SIZE + inlineValue.length;
    }

    Optional<Instant> modifiedTime() {
        return Optional.of(modified);
    }
}

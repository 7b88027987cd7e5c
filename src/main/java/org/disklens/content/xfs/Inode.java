package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.disklens.image.CorruptImage;

/**
 * One on-disk inode ({@code struct xfs_dinode}): the v1/v2 core of 100 bytes or the v3 core of 176 bytes, then the
 * data fork (up to {@code di_forkoff * 8} bytes, or the rest of the inode) and the attribute fork, which DiskLens
 * ignores. The data fork is kept as bytes: a short-form directory, a local symlink target, an extent list or the root
 * of a bmbt, which {@link Extents} and {@link FileBlocks} read.
 */
record Inode(long number, long volumeOffset, int mode, int version, int format, long uid, long gid, long links,
             long size, long extentCount, int flags, long flags2, Instant modified, byte[] dataFork,
             Extents extents, boolean checksumMatches) {
    static final int MAGIC = 0x494E;
    static final int V2_CORE = 100;
    static final int V3_CORE = 176;
    static final int CRC_OFFSET = 100;

    static final int S_IFMT = 0170000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFDIR = 0040000;
    static final int S_IFBLK = 0060000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFSOCK = 0140000;

    static final int FORMAT_DEVICE = 0;
    static final int FORMAT_LOCAL = 1;
    static final int FORMAT_EXTENTS = 2;
    static final int FORMAT_BTREE = 3;

    static final int FLAG_REALTIME = 0x0001;
    static final long FLAG2_BIGTIME = 0x08;
    static final long FLAG2_NREXT64 = 0x10;
    /** Bigtime timestamps count nanoseconds from 1901-12-13 (the kernel's XFS_BIGTIME_EPOCH_OFFSET = 2^31 s). */
    static final long BIGTIME_EPOCH_OFFSET = 1L << 31;
    private static final long NANOS = 1_000_000_000L;

    /** Parses the inode at the position of {@code bytes} ({@code geometry.inodeSize()} bytes). */
    static Inode parse(ByteBuffer bytes, long number, long volumeOffset, XfsGeometry geometry) throws CorruptImage {
        int size = geometry.inodeSize();
        ByteBuffer in = bytes.slice(bytes.position(), size).order(ByteOrder.BIG_ENDIAN);
        String what = "inode " + number;
        if (Short.toUnsignedInt(in.getShort(0)) != MAGIC) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset, "no inode magic \"IN\"");
        }
        int version = Byte.toUnsignedInt(in.get(4));
        if (geometry.v5() ? version != 3 : version != 1 && version != 2) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset,
                    "version %d on a version %d file system".formatted(version, geometry.superblock().version()));
        }
        boolean v3 = version == 3;
        long flags2 = v3 ? in.getLong(120) : 0;
        if (v3 && in.getLong(152) != number) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset,
                    "says it is inode %s".formatted(Long.toUnsignedString(in.getLong(152))));
        }
        int format = Byte.toUnsignedInt(in.get(5));
        long fileSize = in.getLong(56);
        if (fileSize < 0) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset, "negative size " + fileSize);
        }
        long extentCount = (flags2 & FLAG2_NREXT64) != 0 ? in.getLong(24) : Integer.toUnsignedLong(in.getInt(76));
        byte[] fork = dataFork(in, v3 ? V3_CORE : V2_CORE, size, what, volumeOffset);
        Extents extents = format == FORMAT_EXTENTS ? Extents.parse(ByteBuffer.wrap(fork), extentCount, fork.length / 16,
                what, volumeOffset) : Extents.NONE;
        long links = version == 1 ? Short.toUnsignedInt(in.getShort(6)) : Integer.toUnsignedLong(in.getInt(16));
        boolean checksum = !v3 || Crc32c.matches(in, CRC_OFFSET, size);
        return new Inode(number, volumeOffset, Short.toUnsignedInt(in.getShort(2)), version, format,
                Integer.toUnsignedLong(in.getInt(8)), Integer.toUnsignedLong(in.getInt(12)), links, fileSize, extentCount,
                Short.toUnsignedInt(in.getShort(90)), flags2, time(in, 40, (flags2 & FLAG2_BIGTIME) != 0), fork, extents,
                checksum);
    }

    private static byte[] dataFork(ByteBuffer in, int core, int size, String what, long volumeOffset) throws CorruptImage {
        int forkOffset = Byte.toUnsignedInt(in.get(82)) * 8;
        int literal = size - core;
        if (forkOffset > literal) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset,
                    "attribute fork at %d lies past the inode's %d bytes of forks".formatted(forkOffset, literal));
        }
        byte[] fork = new byte[forkOffset == 0 ? literal : forkOffset];
        in.get(core, fork);
        return fork;
    }

    /** A legacy timestamp (signed seconds, nanoseconds) or a bigtime one (nanoseconds since 1901-12-13). */
    static Instant time(ByteBuffer in, int at, boolean bigtime) {
        if (bigtime) {
            long nanos = in.getLong(at);
            return Instant.ofEpochSecond(Long.divideUnsigned(nanos, NANOS) - BIGTIME_EPOCH_OFFSET,
                    Long.remainderUnsigned(nanos, NANOS));
        }
        return Instant.ofEpochSecond(in.getInt(at), Integer.toUnsignedLong(in.getInt(at + 4)));
    }

    int type() {
        return mode & S_IFMT;
    }

    boolean isDirectory() {
        return type() == S_IFDIR;
    }

    boolean realtime() {
        return (flags & FLAG_REALTIME) != 0;
    }
}

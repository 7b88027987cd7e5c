package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.disklens.image.CorruptImage;

/**
 * An inode item (160 bytes, key (inode, INODE_ITEM 1, 0)): generation u64 @0, transid @8, size @16, nbytes @24,
 * block_group @32, nlink u32 @40, uid u32 @44, gid u32 @48, mode u32 @52, rdev u64 @56, flags u64 @64, sequence @72,
 * reserved[4], then the times atime @112, ctime @124, mtime @136, otime @148 (each i64 seconds, u32 nanoseconds).
 */
record InodeItem(long size, long links, long uid, long gid, int mode, long flags, Optional<Instant> modified) {
    static final int SIZE = 160;
    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;

    static InodeItem parse(ByteBuffer data, String what, long where) throws CorruptImage {
        if (data.remaining() < SIZE) {
            throw new CorruptImage("btrfs", what, where, "inode item of %d bytes is shorter than %d"
                    .formatted(data.remaining(), SIZE));
        }
        int at = data.position();
        return new InodeItem(data.getLong(at + 16), Integer.toUnsignedLong(data.getInt(at + 40)),
                Integer.toUnsignedLong(data.getInt(at + 44)), Integer.toUnsignedLong(data.getInt(at + 48)),
                data.getInt(at + 52), data.getLong(at + 64), time(data, at + 136));
    }

    /** A timespec (i64 seconds, u32 nanoseconds); none when it cannot be a time. */
    static Optional<Instant> time(ByteBuffer data, int at) {
        long seconds = data.getLong(at);
        long nanos = Integer.toUnsignedLong(data.getInt(at + 8));
        if (nanos >= 1_000_000_000L || seconds < Instant.MIN.getEpochSecond() || seconds > Instant.MAX.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochSecond(seconds, nanos));
    }

    int type() {
        return mode & S_IFMT;
    }
}

package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** XXH64 with seed 0 (Yann Collet's xxHash specification), the checksum Btrfs calls xxhash. */
final class XxHash64 {
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private XxHash64() {
    }

    /** The hash of {@code data}'s remaining bytes. */
    static long hash(ByteBuffer data) {
        ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = in.remaining();
        int at = 0;
        long hash;
        if (length >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            for (; at <= length - 32; at += 32) {
                v1 = round(v1, in.getLong(at));
                v2 = round(v2, in.getLong(at + 8));
                v3 = round(v3, in.getLong(at + 16));
                v4 = round(v4, in.getLong(at + 24));
            }
            hash = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            hash = merge(merge(merge(merge(hash, v1), v2), v3), v4);
        } else {
            hash = P5;
        }
        hash += length;
        for (; at <= length - 8; at += 8) {
            hash ^= round(0, in.getLong(at));
            hash = Long.rotateLeft(hash, 27) * P1 + P4;
        }
        if (at <= length - 4) {
            hash ^= (in.getInt(at) & 0xFFFFFFFFL) * P1;
            hash = Long.rotateLeft(hash, 23) * P2 + P3;
            at += 4;
        }
        for (; at < length; at++) {
            hash ^= (in.get(at) & 0xFFL) * P5;
            hash = Long.rotateLeft(hash, 11) * P1;
        }
        hash ^= hash >>> 33;
        hash *= P2;
        hash ^= hash >>> 29;
        hash *= P3;
        hash ^= hash >>> 32;
        return hash;
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * P2, 31) * P1;
    }

    private static long merge(long hash, long accumulator) {
        return (hash ^ round(0, accumulator)) * P1 + P4;
    }
}

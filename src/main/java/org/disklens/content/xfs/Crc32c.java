package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * XFS metadata checksums: CRC-32C over the whole structure with its checksum field taken as zero, stored
 * little-endian (the kernel's {@code xfs_start_cksum_safe}/{@code xfs_end_cksum}: seed all ones, final inversion, which
 * is the standard CRC-32C that the JDK computes).
 */
final class Crc32c {
    private static final byte[] ZERO = new byte[4];

    private Crc32c() {
    }

    /** Whether the checksum stored at {@code crcOffset} of {@code bytes[0, length)} matches. */
    static boolean matches(ByteBuffer bytes, int crcOffset, int length) {
        return stored(bytes, crcOffset) == compute(bytes, crcOffset, length);
    }

    static int stored(ByteBuffer bytes, int crcOffset) {
        return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(crcOffset);
    }

    static int compute(ByteBuffer bytes, int crcOffset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.slice(0, crcOffset));
        crc.update(ZERO);
        crc.update(bytes.slice(crcOffset + 4, length - crcOffset - 4));
        return (int) crc.getValue();
    }
}

package org.disklens.image.vhdx;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/** VHDX's CRC-32C (Castagnoli): computed over a structure with its own checksum field read as zero. */
final class Checksums {
    private Checksums() {
    }

    /** The CRC-32C of {@code bytes}' whole content (position 0 to limit) with the 4 bytes at {@code checksumAt} as zero. */
    static int compute(ByteBuffer bytes, int checksumAt) {
        CRC32C crc = new CRC32C();
        ByteBuffer all = bytes.duplicate().clear();
        all.limit(bytes.limit());
        ByteBuffer before = all.duplicate().limit(checksumAt);
        crc.update(before);
        crc.update(new byte[4]);
        ByteBuffer after = all.duplicate().position(checksumAt + 4);
        crc.update(after);
        return (int) crc.getValue();
    }

    /** Whether the little-endian checksum stored at {@code checksumAt} is right. */
    static boolean valid(ByteBuffer bytes, int checksumAt) {
        return bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(checksumAt) == compute(bytes, checksumAt);
    }

    /** Stores the checksum at {@code checksumAt}, little-endian. */
    static void seal(ByteBuffer bytes, int checksumAt) {
        int crc = compute(bytes, checksumAt);
        bytes.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(checksumAt, crc);
    }
}

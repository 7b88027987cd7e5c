package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.disklens.image.CorruptImage;

/**
 * {@code $STANDARD_INFORMATION}: creation, last written, MFT change and last access times (FILETIME: 100 ns units
 * since 1601-01-01 UTC) and the Windows file attribute flags. 48 bytes (NTFS 1.2) or 72 (3.x: owner, security id,
 * quota, USN, unused here).
 */
record StandardInformation(long created, long modified, long changed, long accessed, int fileAttributes) {
    static final int HIDDEN = 0x2;
    static final int SYSTEM = 0x4;
    static final int ENCRYPTED = 0x4000;
    /** Seconds from 1601-01-01 to 1970-01-01. */
    static final long EPOCH_DIFFERENCE = 11_644_473_600L;

    static StandardInformation parse(byte[] value, String where) throws CorruptImage {
        if (value.length < 36) {
            throw new CorruptImage(Geometry.NAMING, where, -1, "$STANDARD_INFORMATION of only %d bytes".formatted(value.length));
        }
        ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new StandardInformation(bytes.getLong(0), bytes.getLong(8), bytes.getLong(16), bytes.getLong(24),
                bytes.getInt(32));
    }

    /** A FILETIME (unsigned) as an instant, with its full 100 ns precision. */
    static Instant time(long filetime) {
        long seconds = Long.divideUnsigned(filetime, 10_000_000L) - EPOCH_DIFFERENCE;
        long nanos = Long.remainderUnsigned(filetime, 10_000_000L) * 100;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}

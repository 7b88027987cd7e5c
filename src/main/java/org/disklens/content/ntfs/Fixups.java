package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.disklens.image.CorruptImage;

/**
 * The update sequence of multi-sector structures (MFT records, INDX blocks): the last two bytes of every 512 are
 * replaced on disk by a check value, the real bytes kept in an array after it (offset at byte 4, count at byte 6:
 * the check value plus one entry per 512 bytes). A mismatch means the structure was torn by an interrupted write
 * or damaged.
 */
final class Fixups {
    /** The stride of the update sequence, whatever the sector size. */
    static final int STRIDE = 512;

    private Fixups() {
    }

    /** Puts the real bytes back into {@code bytes}; returns the end of the update sequence array. */
    static int apply(ByteBuffer bytes, String where, long volumeOffset) throws CorruptImage {
        return apply(bytes, () -> where, () -> volumeOffset);
    }

    /** As {@link #apply(ByteBuffer, String, long)}, the message's place worked out only on damage. */
    static int apply(ByteBuffer bytes, Supplier<String> where, LongSupplier volumeOffset) throws CorruptImage {
        int usaOffset = Short.toUnsignedInt(bytes.getShort(4));
        int usaCount = Short.toUnsignedInt(bytes.getShort(6));
        if (usaCount < 2 || usaOffset < 8 || usaOffset + 2 * usaCount > STRIDE - 2) {
            throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset.getAsLong(),
                    "update sequence of %d entries at byte %d does not fit its first sector".formatted(usaCount, usaOffset));
        }
        int sectors = Math.min(usaCount - 1, bytes.limit() / STRIDE);
        short check = bytes.getShort(usaOffset);
        for (int i = 0; i < sectors; i++) {
            int end = (i + 1) * STRIDE - 2;
            if (bytes.getShort(end) != check) {
                long at = volumeOffset.getAsLong();
                throw new CorruptImage(Geometry.NAMING, where.get(), at < 0 ? -1 : at + end,
                        "update sequence mismatch in its sector %d (a torn write or damage)".formatted(i));
            }
            bytes.putShort(end, bytes.getShort(usaOffset + 2 + i * 2));
        }
        return usaOffset + 2 * usaCount;
    }
}

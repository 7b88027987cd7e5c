package org.disklens.image;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Copies the guest bytes of {@link Mapping.Compressed} runs, keeping the last decoded unit: a reader that goes
 * through a compressed cluster in small steps decodes it once. A whole unit read at once is decoded in place.
 * Not thread-safe; one per reader.
 */
public final class DecodedUnits {
    private Mapping.CompressedUnit cachedUnit;
    private ByteBuffer cachedDecoded;

    /** Fills {@code part} (exactly the run's bytes) from the decoded unit. */
    public void copy(Mapping.Compressed compressed, ByteBuffer part) throws IOException {
        Mapping.CompressedUnit unit = compressed.unit();
        if (compressed.offsetInUnit() == 0 && part.remaining() == unit.decodedSize() && !unit.equals(cachedUnit)) {
            // A whole unit (the converter reads cluster by cluster): decode in place, no copy, no cache.
            unit.decodeInto(part);
            return;
        }
        if (!unit.equals(cachedUnit)) {
            cachedUnit = null;
            if (cachedDecoded == null || cachedDecoded.capacity() != unit.decodedSize()) {
                cachedDecoded = ByteBuffer.allocate(unit.decodedSize());
            }
            cachedDecoded.clear();
            unit.decodeInto(cachedDecoded);
            cachedUnit = unit;
        }
        part.put(cachedDecoded.slice(compressed.offsetInUnit(), part.remaining()));
    }

    private static final byte[] ZEROES = new byte[64 * 1024];

    /** Puts {@code length} zero bytes into {@code dst}. */
    public static void fillZero(ByteBuffer dst, int length) {
        int left = length;
        while (left > 0) {
            int count = Math.min(left, ZEROES.length);
            dst.put(ZEROES, 0, count);
            left -= count;
        }
    }
}

package org.disklens.image;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Compresses one allocation unit (a qcow2 cluster, a VMDK grain) for a writer. One instance per worker thread;
 * instances keep their codec state between units so nothing is allocated per unit.
 */
public interface UnitCompressor extends AutoCloseable {
    /**
     * Compresses {@code unit} (positioned at its first byte, limited to its last) into {@code slot}, from the
     * slot's position. Returns the bytes written, or -1 when the result would not fit the slot (the unit is then
     * stored as it is, where the format allows).
     *
     * @param guestOffset where the unit starts in the guest disk (VMDK grain markers record it)
     */
    int compress(long guestOffset, ByteBuffer unit, ByteBuffer slot) throws IOException;

    @Override
    void close();
}

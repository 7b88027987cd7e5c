package org.disklens.image;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * A target format's writer, fed by the conversion pipeline ({@code convert.Pipeline}). The writer owns the layout;
 * the pipeline owns reading, zero detection and compression. Files are created through {@link TargetFiles}, so they
 * exist only under their temporary names until the conversion succeeds.
 */
public interface ImageWriter {
    /**
     * The allocation unit: what is stored or left out as a whole (a raw file's zero-run size, a qcow2 cluster, a
     * VMDK grain). Windows are multiples of it, and zero detection works unit by unit.
     */
    int unitSize();

    /** {@link #write} may run on several threads at once, for windows in any order ({@link #skip} is not called). */
    boolean parallel();

    /** Compresses units in the workers, or null. */
    default Supplier<UnitCompressor> compressor() {
        return null;
    }

    /** Bytes of a window's slot for one compressed unit. */
    default int slotSize() {
        return 0;
    }

    /** Every unit is stored, zeroes too ({@code -S 0}, {@code preallocation=full}). */
    boolean writesEverything();

    /** The target has a backing file: only the source's top layer is copied (runs it leaves out are BACKING). */
    default boolean topLayerOnly() {
        return false;
    }

    /** Stores a processed window. In guest order unless {@link #parallel()}. */
    void write(WriteWindow window) throws IOException;

    /**
     * A run with nothing to read, {@link WriteWindow#ZERO} or {@link WriteWindow#BACKING}, in guest order between the
     * windows; ordered writers only.
     */
    default void skip(long start, long end, byte kind) throws IOException {
    }

    /** Writes the remaining metadata once every window is stored. */
    void finish() throws IOException;
}

package org.disklens.image;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What a writer sees of one aligned window of the guest disk: units of {@link ImageWriter#unitSize()} bytes, what
 * each turned out to be, their bytes, and the compressed form of those the pipeline compressed.
 */
public interface WriteWindow {
    /** Reads as zero; the target leaves it unallocated (or, over a backing file, marks it zero). */
    byte ZERO = 0;
    /** Not in the source's top layer: the target of {@code -B} leaves it to its backing file. */
    byte BACKING = 1;
    /** Bytes to store. */
    byte DATA = 2;
    /** Was stored data in the source but is all zeroes: a zero unit that the source had allocated. */
    byte SCANNED_ZERO = 3;
    /**
     * The usual window size (unless a writer's unit is larger). 1 MiB, measured: a window read by one call and
     * written by the next is still in the CPU's cache for the write, and compressing workers share the work evenly.
     */
    int SIZE = 1 << 20;

    int unitCount();

    /** Where unit {@code unit} starts on the guest disk. */
    long unitStart(int unit);

    /** {@link #ZERO}, {@link #BACKING}, {@link #DATA} or {@link #SCANNED_ZERO}. */
    byte kind(int unit);

    /** The bytes of units {@code [first, end)}, whole units (the disk's last unit zero-padded). */
    ByteBuffer units(int first, int end);

    /** Compressed length of unit {@code unit}, or -1 where it is stored uncompressed. */
    int packedLength(int unit);

    /** The unit's compressed bytes. */
    ByteBuffer packedData(int unit);

    /** Receives the stored bytes of one run of DATA units and where they belong on the guest disk. */
    @FunctionalInterface
    interface DataSlice {
        void accept(long guestOffset, ByteBuffer bytes) throws IOException;
    }

    /** Calls {@code slice} for each maximal run of DATA units with its bytes, clipped to the window. */
    void forEachDataSlice(DataSlice slice) throws IOException;
}

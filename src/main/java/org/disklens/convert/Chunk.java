package org.disklens.convert;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.disklens.image.WriteWindow;

/**
 * One aligned window of the guest disk on its way through the pipeline: what the source says each part is, the
 * bytes read, what each target unit turned out to be, and the compressed units. Pooled: the buffers are allocated
 * once per conversion (direct, so file I/O and zlib use them without copies) and reused for every window.
 */
final class Chunk implements WriteWindow {
    final int unitSize;
    final int capacity;
    final ByteBuffer data;
    final MemorySegment dataSegment;
    final byte[] kinds;
    /** Compressed units, each in its own slot of {@link #slotSize} bytes; null for writers that do not compress. */
    final ByteBuffer packed;
    final int slotSize;
    /** Compressed length of each unit, or -1 where it is stored uncompressed. */
    final int[] packedLength;

    long start;
    int length;
    int unitCount;
    /** The source's runs in this window: kinds and lengths, in order. */
    byte[] runKinds = new byte[8];
    long[] runLengths = new long[8];
    int runCount;
    /** Guest bytes of this window that the source stores (what progress counts). */
    long allocatedBytes;

    Chunk(int capacity, int unitSize, int slotSize) {
        this.capacity = capacity;
        this.unitSize = unitSize;
        this.data = ByteBuffer.allocateDirect(capacity);
        this.dataSegment = MemorySegment.ofBuffer(data);
        int units = capacity / unitSize;
        this.kinds = new byte[units];
        this.slotSize = slotSize;
        this.packed = slotSize > 0 ? ByteBuffer.allocateDirect(Math.multiplyExact(units, slotSize)) : null;
        this.packedLength = slotSize > 0 ? new int[units] : null;
    }

    void reset(long windowStart, int windowLength) {
        start = windowStart;
        length = windowLength;
        unitCount = Math.ceilDiv(windowLength, unitSize);
        runCount = 0;
        allocatedBytes = 0;
    }

    void addRun(SourceImage.Kind kind, long runLength) {
        byte code = switch (kind) {
            case ZERO -> WriteWindow.ZERO;
            case BACKING -> WriteWindow.BACKING;
            case DATA -> WriteWindow.DATA;
        };
        if (code == DATA) {
            allocatedBytes += runLength;
        }
        if (runCount > 0 && runKinds[runCount - 1] == code) {
            runLengths[runCount - 1] += runLength;
            return;
        }
        if (runCount == runKinds.length) {
            runKinds = Arrays.copyOf(runKinds, runCount * 2);
            runLengths = Arrays.copyOf(runLengths, runCount * 2);
        }
        runKinds[runCount] = code;
        runLengths[runCount] = runLength;
        runCount++;
    }

    @Override
    public int unitCount() {
        return unitCount;
    }

    @Override
    public long unitStart(int unit) {
        return start + (long) unit * unitSize;
    }

    @Override
    public byte kind(int unit) {
        return kinds[unit];
    }

    @Override
    public ByteBuffer units(int first, int end) {
        return data.slice(first * unitSize, (end - first) * unitSize);
    }

    @Override
    public int packedLength(int unit) {
        return packedLength[unit];
    }

    /** Bytes of unit {@code unit} inside the window (the last unit of the disk may be shorter). */
    int unitLength(int unit) {
        return Math.min(unitSize, length - unit * unitSize);
    }

    @Override
    public ByteBuffer packedData(int unit) {
        return packed.slice(unit * slotSize, packedLength[unit]);
    }

    /** Receives one run of consecutive DATA units: units {@code [firstUnit, endUnit)}. */
    @FunctionalInterface
    interface UnitRun {
        void accept(int firstUnit, int endUnit) throws IOException;
    }

    /** Calls {@code run} for each maximal run of DATA units, in order: one read or write per run. */
    void forEachDataRun(UnitRun run) throws IOException {
        int unit = 0;
        while (unit < unitCount) {
            if (kinds[unit] != DATA) {
                unit++;
                continue;
            }
            int first = unit;
            while (unit < unitCount && kinds[unit] == DATA) {
                unit++;
            }
            run.accept(first, unit);
        }
    }

    @Override
    public void forEachDataSlice(DataSlice slice) throws IOException {
        forEachDataRun((first, end) -> {
            int from = first * unitSize;
            int to = Math.min(end * unitSize, length);
            slice.accept(start + from, data.slice(from, to - from));
        });
    }
}

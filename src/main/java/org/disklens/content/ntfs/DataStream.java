package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.DecodedUnits;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.MemoryBlockSource;

/**
 * The bytes of one attribute ($DATA, $INDEX_ALLOCATION, $BITMAP, $ATTRIBUTE_LIST...), resident or described by the
 * runs of its attribute chain: its data size, its initialized size (bytes past it read as zeroes), and for
 * LZNT1-compressed streams the compression unit. Immutable.
 */
final class DataStream {
    /** The largest compression unit read: 16 clusters of 64 KiB. NTFS itself compresses only with clusters up to 4 KiB. */
    static final int MAX_UNIT = 1 << 20;
    /** LZNT1, the only compression the attribute flags name. */
    static final int LZNT1 = 1;

    /** The attribute the stream comes from (for messages), or a description of derived bytes. */
    private final Object origin;
    private final Geometry geometry;
    private final long size;
    private final long initializedSize;
    private final MemoryBlockSource resident;
    private final RunList runs;
    private final int compression;
    private final int unitShift;
    private final boolean encrypted;

    private DataStream(Object origin, Geometry geometry, long size, long initializedSize, MemoryBlockSource resident,
                       RunList runs, int compression, int unitShift, boolean encrypted) {
        this.origin = origin;
        this.geometry = geometry;
        this.size = size;
        this.initializedSize = Math.min(initializedSize, size);
        this.resident = resident;
        this.runs = runs;
        this.compression = compression;
        this.unitShift = unitShift;
        this.encrypted = encrypted;
    }

    /**
     * The stream of an attribute chain (attributes of one type and name, possibly spread over extension records):
     * the part at VCN 0 holds the sizes and flags, the others continue its runs in VCN order.
     */
    static DataStream of(List<Attribute> chain, Geometry geometry) throws ImageException {
        List<Attribute> parts = new ArrayList<>(chain);
        parts.sort(Comparator.comparingLong(Attribute::firstVcn));
        Attribute first = parts.getFirst();
        if (first.resident()) {
            return new DataStream(first, geometry, first.value().length, first.value().length,
                    new MemoryBlockSource("resident attribute", first.value()), RunList.empty(), 0, 0, first.encrypted());
        }
        if (first.firstVcn() != 0) {
            throw new CorruptImage(Geometry.NAMING, first.describe(), first.volumeOffset(), "its chain does not start at VCN 0");
        }
        RunList.Builder builder = new RunList.Builder(first::describe);
        for (Attribute part : parts) {
            if (part.resident()) {
                throw new CorruptImage(Geometry.NAMING, part.describe(), part.volumeOffset(),
                        "a resident part in a chain of non-resident ones");
            }
            RunList.decode(part.runs(), part.firstVcn(), geometry.clusterCount(), builder, part::describe,
                    part.volumeOffset());
        }
        int unitShift = 0;
        if (first.compressed()) {
            unitShift = first.compressionUnit() == 0 ? 4 : first.compressionUnit();
            if (unitShift > 16 || ((long) geometry.clusterSize() << unitShift) > MAX_UNIT) {
                throw new LimitExceeded(Geometry.NAMING, first.describe(), first.volumeOffset(),
                        "compression units of %d clusters of %d bytes".formatted(1L << unitShift, geometry.clusterSize()));
            }
        }
        return new DataStream(first, geometry, first.dataSize(), first.initializedSize(), null, builder.build(),
                first.flags() & Attribute.COMPRESSION_MASK, unitShift, first.encrypted());
    }

    /** Bytes DiskLens derives from metadata (a link's target), read like a resident stream. */
    static DataStream ofBytes(String where, byte[] bytes) {
        return new DataStream(where, null, bytes.length, bytes.length, new MemoryBlockSource(where, bytes),
                RunList.empty(), 0, 0, false);
    }

    long size() {
        return size;
    }

    boolean encrypted() {
        return encrypted;
    }

    boolean compressed() {
        return unitShift > 0;
    }

    RunList runs() {
        return runs;
    }

    /** What the stream's bytes from {@code offset} are: at least one byte, at most {@code maxLength}. */
    Mapping map(BlockSource volume, long offset, long maxLength) throws ImageException {
        if (offset >= size) {
            return new Mapping.Zero(maxLength);
        }
        long wanted = Math.min(maxLength, size - offset);
        if (resident != null) {
            return new Mapping.Data(resident, offset, wanted);
        }
        if (offset >= initializedSize) {
            return new Mapping.Zero(wanted);
        }
        long limit = Math.min(wanted, initializedSize - offset);
        return unitShift > 0 ? mapCompressed(volume, offset, limit) : mapRun(volume, offset, limit);
    }

    /** The run holding {@code offset}, as far as it goes (at most {@code limit}). */
    private Mapping mapRun(BlockSource volume, long offset, long limit) throws CorruptImage {
        int clusterSize = geometry.clusterSize();
        int index = runs.find(offset / clusterSize);
        if (index < 0) {
            throw new CorruptImage(Geometry.NAMING, where(), -1,
                    "byte %d lies beyond its runs, which end at VCN %d".formatted(offset, runs.endVcn()));
        }
        long into = offset - runs.vcn(index) * clusterSize;
        long length = Math.min(limit, runs.length(index) * clusterSize - into);
        return runs.sparse(index) ? new Mapping.Zero(length)
                : new Mapping.Data(volume, runs.lcn(index) * clusterSize + into, length);
    }

    /**
     * A compression unit is stored plainly when all its clusters are allocated, is zero when none is, and else holds
     * LZNT1 data in its allocated clusters (the sparse rest only pads the unit).
     */
    private Mapping mapCompressed(BlockSource volume, long offset, long limit) throws ImageException {
        if (compression != LZNT1) {
            throw new UnsupportedFeature(Geometry.NAMING, where(), -1, "compression method %d".formatted(compression));
        }
        long clusterSize = geometry.clusterSize();
        long unitClusters = 1L << unitShift;
        long unitBytes = clusterSize << unitShift;
        long unitVcn = offset / unitBytes * unitClusters;
        long inUnit = offset - unitVcn * clusterSize;
        long length = Math.min(limit, unitBytes - inUnit);
        List<CompressedUnit.Fragment> fragments = new ArrayList<>();
        long allocated = 0;
        // Runs start at VCN 0, so a unit no run reaches lies past the last run: nothing of it is allocated.
        for (int index = runs.find(unitVcn); index >= 0 && index < runs.count()
                && runs.vcn(index) < unitVcn + unitClusters; index++) {
            long from = Math.max(unitVcn, runs.vcn(index));
            long to = Math.min(unitVcn + unitClusters, runs.vcn(index) + runs.length(index));
            if (to > from && !runs.sparse(index)) {
                long lcn = runs.lcn(index) + (from - runs.vcn(index));
                fragments.add(new CompressedUnit.Fragment(lcn * clusterSize, (int) ((to - from) * clusterSize)));
                allocated += to - from;
            }
        }
        if (allocated == unitClusters) {
            return mapRun(volume, offset, length);
        }
        if (allocated == 0) {
            return new Mapping.Zero(length);
        }
        return new Mapping.Compressed(length, fragments.getFirst().volumeOffset(), (int) inUnit,
                new CompressedUnit(volume, List.copyOf(fragments), (int) unitBytes));
    }

    /** Reads the stream's bytes from {@code offset} into {@code dst} (which must stay inside the stream). */
    void read(BlockSource volume, long offset, ByteBuffer dst) throws IOException {
        DecodedUnits units = new DecodedUnits();
        long at = offset;
        while (dst.hasRemaining()) {
            Mapping mapping = map(volume, at, dst.remaining());
            int length = (int) Math.min(mapping.length(), dst.remaining());
            ByteBuffer part = dst.slice(dst.position(), length);
            switch (mapping) {
                case Mapping.Data data -> Geometry.readInto(data.source(), data.hostOffset(), part, this::where);
                case Mapping.Compressed compressed -> units.copy(compressed, part);
                default -> DecodedUnits.fillZero(part, length);
            }
            dst.position(dst.position() + length);
            at += length;
        }
    }

    /** The whole stream, refused when larger than {@code cap} bytes. */
    byte[] readAll(BlockSource volume, int cap) throws IOException {
        if (size > cap) {
            throw new LimitExceeded(Geometry.NAMING, where(), -1, "%d bytes exceed the limit of %d".formatted(size, cap));
        }
        byte[] bytes = new byte[(int) size];
        read(volume, 0, ByteBuffer.wrap(bytes));
        return bytes;
    }

    String where() {
        return origin instanceof Attribute attribute ? attribute.describe() : origin.toString();
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * What the runs of a VMDK file are used for, for the File layout chart: in a hosted sparse file the header (and a
 * stream's footer and markers), the embedded descriptor, the grain directory and its redundant copy, each grain
 * table, and the grains (compressed ones as long as their marker says); what lies between is padding, or a hole. A
 * descriptor file is all descriptor. Lenient: tables that point outside the file are skipped ({@link VmdkCheck}
 * reports them).
 */
final class VmdkHostWalk {
    static final HostRegion HEADER = new HostRegion("Header and footer", "#1e293b", Role.METADATA);
    static final HostRegion DESCRIPTOR = new HostRegion("Descriptor", "#64748b", Role.METADATA);
    static final HostRegion GRAIN_DIRECTORY = new HostRegion("Grain directories", "#4f46e5", Role.METADATA);
    static final HostRegion GRAIN_TABLES = new HostRegion("Grain tables", "#818cf8", Role.METADATA);
    static final HostRegion DATA = HostRegion.DATA;
    static final HostRegion COMPRESSED = new HostRegion("Compressed grains", "#f59e0b", Role.COMPRESSED);
    static final HostRegion PADDING = new HostRegion("Padding and unused sectors", "#cbd5e1", Role.FREE);
    static final List<HostRegion> ALL = List.of(HEADER, DESCRIPTOR, GRAIN_DIRECTORY, GRAIN_TABLES, DATA, COMPRESSED,
            PADDING, HostRegion.HOLE);

    private record Run(HostRegion region, long hostOffset, long length) {
        long end() {
            return hostOffset + length;
        }
    }

    private final BlockSource file;
    private final ProgressListener progress;
    private final List<Run> runs = new ArrayList<>();

    VmdkHostWalk(BlockSource file, ProgressListener progress) {
        this.file = file;
        this.progress = progress;
    }

    /** A hosted sparse file: its structures, then everything in between as padding or holes. */
    void hostedSparse(SparseHeader header, SparseExtent extent, HostRegion.Sink sink) throws IOException {
        long size = file.size();
        add(HEADER, 0, 512);
        if (extent.compressed() && size >= 1536) {
            add(HEADER, size - 1536, 1536); // footer marker, footer, end-of-stream marker
        }
        add(DESCRIPTOR, header.descriptorOffset() << 9, header.descriptorSize() << 9);
        IntBuffer directory = extent.grainDirectory();
        long directoryBytes = roundToSector(directory.limit() * 4L);
        add(GRAIN_DIRECTORY, extent.gdHostOffset(), directoryBytes);
        if (extent.rgdHostOffset() > 0) {
            add(GRAIN_DIRECTORY, extent.rgdHostOffset(), directoryBytes);
            tables(extent, readDirectory(extent.rgdHostOffset(), directory.limit()), false);
        }
        tables(extent, directory, true);
        fillGaps(sink);
    }

    /** A descriptor file (the extents are files of their own): all of it is the descriptor. */
    void descriptorFile(HostRegion.Sink sink) throws IOException {
        sink.accept(DESCRIPTOR, 0, file.size());
    }

    private void tables(SparseExtent extent, IntBuffer directory, boolean withGrains) throws IOException {
        long tableBytes = roundToSector(extent.gtesPerGt() * 4L);
        for (int index = 0; index < directory.limit(); index++) {
            progress.checkCancelled();
            long gtSector = Integer.toUnsignedLong(directory.get(index));
            if (gtSector == 0 || (gtSector << 9) > file.size() - extent.gtesPerGt() * 4L) {
                continue;
            }
            add(GRAIN_TABLES, gtSector << 9, tableBytes);
            if (withGrains) {
                grains(extent, extent.grainTable(index, gtSector));
            }
            progress.progress(index + 1, directory.limit());
        }
    }

    private void grains(SparseExtent extent, IntBuffer table) throws IOException {
        for (int entry = 0; entry < table.limit(); entry++) {
            long sector = Integer.toUnsignedLong(table.get(entry));
            if (sector == 0 || sector == 1 && extent.zeroedGrains()) {
                continue;
            }
            long at = sector << 9;
            if (extent.compressed()) {
                add(COMPRESSED, at, compressedLength(extent, at));
            } else {
                add(DATA, at, extent.grainBytes());
            }
        }
    }

    /** A stream's grain: its 12-byte marker (guest sector, compressed size) and the data, to the next sector. */
    private long compressedLength(SparseExtent extent, long at) throws IOException {
        if (!extent.markers() || at > file.size() - 12) {
            return 512;
        }
        long size = Integer.toUnsignedLong(file.read(at + 8, 4, ByteOrder.LITTLE_ENDIAN).getInt(0));
        return roundToSector(12 + size);
    }

    private IntBuffer readDirectory(long hostOffset, int entries) throws IOException {
        if (hostOffset > file.size() - entries * 4L) {
            return IntBuffer.allocate(0);
        }
        return file.read(hostOffset, entries * 4, ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    }

    private void add(HostRegion region, long hostOffset, long length) throws IOException {
        long end = Math.min(file.size(), hostOffset + length);
        if (hostOffset >= 0 && end > hostOffset) {
            runs.add(new Run(region, hostOffset, end - hostOffset));
        }
    }

    /** Reports the runs in file order, and what none of them covers as holes (not stored) or padding. */
    private void fillGaps(HostRegion.Sink sink) throws IOException {
        runs.sort(Comparator.comparingLong(Run::hostOffset));
        long at = 0;
        for (Run run : runs) {
            if (run.hostOffset() > at) {
                gap(at, run.hostOffset(), sink);
            }
            long start = Math.max(at, run.hostOffset());
            if (run.end() > start) {
                sink.accept(run.region(), start, run.end() - start);
                at = run.end();
            }
        }
        gap(at, file.size(), sink);
    }

    private void gap(long from, long to, HostRegion.Sink sink) throws IOException {
        for (long at = from; at < to; ) {
            HostExtent extent = file.extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), to - at) : to - at;
            sink.accept(extent.data() ? PADDING : HostRegion.HOLE, at, length);
            at += length;
        }
    }

    private static long roundToSector(long bytes) {
        return (bytes + 511) & ~511L;
    }
}

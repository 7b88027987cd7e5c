package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;
import org.disklens.io.AppendBuffer;
import org.disklens.image.UnitCompressor;
import org.disklens.image.InvalidRequest;

/**
 * Writes a streamOptimized VMDK exactly in the order of VMware's Virtual Disk Format ("Stream-Optimized Compressed"),
 * so that it can be read front to back from a stream, as ESXi and OVF/OVA imports read it:
 * <pre>
 * sector 0        header: version 3, flags 0x30001 (line-end test, compressed grains, markers),
 *                 compressAlgorithm 1 (deflate), gdOffset = GD_AT_END, overHead 128
 * sector 1..20    the descriptor
 * sector 128...   grain markers with their zlib data, in guest order; after the last grain of each 32 MiB,
 *                 a grain table marker and that grain table (only tables that point to grains)
 * then            grain directory marker, grain directory; footer marker, footer (the header with the real
 *                 gdOffset); end-of-stream marker: the footer and the end-of-stream marker are the last two sectors
 * </pre>
 * qemu-img's own streamOptimized output differs (grain directory and tables at the front, no footer, no
 * end-of-stream marker, header version and flags of a redundant-table disk), which is why ESXi rejects it.
 */
final class VmdkStreamWriter implements ImageWriter {
    static final int OVERHEAD_SECTORS = 128;
    private static final int MARKER_EOS = 0;
    private static final int MARKER_GT = 1;
    private static final int MARKER_GD = 2;
    private static final int MARKER_FOOTER = 3;
    private static final long MAX_SECTOR = 0xffffffffL;

    private final VmdkLayout layout;
    private final TargetFiles.TargetFile file;
    private final AppendBuffer appender;
    private final long capacitySectors;
    private final SparseHeader header;
    private final int[] directory;
    private final int[] table = new int[VmdkSparseWriter.GTES_PER_GT];
    private long tableIndex = -1;
    private boolean tableUsed;
    private long nextSector = OVERHEAD_SECTORS;

    VmdkStreamWriter(VmdkLayout layout, TargetFiles outputs, long size) throws IOException {
        this.layout = layout;
        this.capacitySectors = size / 512;
        long grains = Math.ceilDiv(capacitySectors, VmdkSparseWriter.GRAIN_SECTORS);
        long tables = Math.max(1, Math.ceilDiv(grains, VmdkSparseWriter.GTES_PER_GT));
        if (tables > Integer.MAX_VALUE / 4) {
            throw new InvalidRequest("vmdk: a disk of %d bytes is too large for a streamOptimized extent".formatted(size));
        }
        this.directory = new int[(int) tables];
        int flags = SparseHeader.FLAG_VALID_NEWLINE_DETECTION | SparseHeader.FLAG_COMPRESSED
                | SparseHeader.FLAG_MARKERS;
        this.header = SparseHeader.ofNewExtent(3, flags, capacitySectors, VmdkSparseWriter.GRAIN_SECTORS, 1,
                VmdkDescriptor.EMBEDDED_SECTORS, VmdkSparseWriter.GTES_PER_GT, 0, SparseHeader.GD_AT_END,
                OVERHEAD_SECTORS, SparseHeader.COMPRESS_DEFLATE);
        this.file = outputs.create(layout.descriptor());
        this.appender = new AppendBuffer(file.channel(), 1 << 20);
    }

    @Override
    public int unitSize() {
        return VmdkSparseWriter.GRAIN_SIZE;
    }

    @Override
    public boolean parallel() {
        return false;
    }

    @Override
    public Supplier<UnitCompressor> compressor() {
        return StreamGrainCompressor::new;
    }

    @Override
    public int slotSize() {
        return StreamGrainCompressor.slotSize(VmdkSparseWriter.GRAIN_SIZE);
    }

    @Override
    public boolean writesEverything() {
        return layout.config().sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        for (int unit = 0; unit < window.unitCount(); unit++) {
            if (window.kind(unit) != WriteWindow.DATA) {
                continue;
            }
            long grain = window.unitStart(unit) / VmdkSparseWriter.GRAIN_SIZE;
            ByteBuffer record = window.packedData(unit);
            long sectors = record.remaining() / 512;
            if (nextSector + sectors > MAX_SECTOR) {
                throw new LimitExceeded("vmdk", "grain table", -1,
                        "the file would grow past 2 TiB, which 32-bit grain offsets cannot address");
            }
            selectTable(grain / VmdkSparseWriter.GTES_PER_GT);
            table[(int) (grain % VmdkSparseWriter.GTES_PER_GT)] = (int) nextSector;
            tableUsed = true;
            appender.put(nextSector * 512, record);
            nextSector += sectors;
        }
    }

    /** Makes {@code index} the table being filled, writing out the previous one first (it takes sectors too). */
    private void selectTable(long index) throws IOException {
        if (index != tableIndex) {
            flushTable();
            tableIndex = index;
        }
    }

    /** A grain table marker and the table, right after the grains it points to. */
    private void flushTable() throws IOException {
        if (tableIndex < 0 || !tableUsed) {
            return;
        }
        ByteBuffer bytes = ByteBuffer.allocate(512 + VmdkSparseWriter.GT_SECTORS * 512).order(ByteOrder.LITTLE_ENDIAN);
        metadataMarker(bytes, VmdkSparseWriter.GT_SECTORS, MARKER_GT);
        bytes.position(512);
        bytes.asIntBuffer().put(table);
        directory[(int) tableIndex] = (int) (nextSector + 1);
        appender.put(nextSector * 512, bytes.rewind());
        nextSector += 1 + VmdkSparseWriter.GT_SECTORS;
        java.util.Arrays.fill(table, 0);
        tableUsed = false;
    }

    @Override
    public void finish() throws IOException {
        flushTable();
        long directorySectors = Math.ceilDiv(directory.length * 4L, 512);
        long directorySector = nextSector + 1;
        ByteBuffer tail = ByteBuffer.allocate((int) ((1 + directorySectors + 3) * 512)).order(ByteOrder.LITTLE_ENDIAN);
        metadataMarker(tail, directorySectors, MARKER_GD);
        tail.position(512);
        tail.asIntBuffer().put(directory);
        int footerMarker = (int) ((1 + directorySectors) * 512);
        metadataMarker(tail.slice(footerMarker, 512).order(ByteOrder.LITTLE_ENDIAN), 1, MARKER_FOOTER);
        tail.put(footerMarker + 512, header.withGdOffset(directorySector).encode(), 0, SparseHeader.SIZE);
        // The end-of-stream marker: a sector of zeroes (val 0, size 0, type MARKER_EOS = 0).
        tail.putInt(footerMarker + 1024 + 12, MARKER_EOS);
        appender.put(nextSector * 512, tail.rewind());
        appender.flush();
        byte[] descriptor = VmdkDescriptor.bytes(layout, capacitySectors);
        FileWrites.writeFully(file.channel(), ByteBuffer.wrap(descriptor), 512);
        FileWrites.writeFully(file.channel(), header.encode(), 0);
    }

    /** A metadata marker: numSectors of what follows, size 0, the type. */
    private static void metadataMarker(ByteBuffer sector, long numSectors, int type) {
        sector.putLong(0, numSectors);
        sector.putInt(8, 0);
        sector.putInt(12, type);
    }
}

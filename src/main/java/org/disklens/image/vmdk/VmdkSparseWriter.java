package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;
import org.disklens.image.TargetConfig;

/**
 * Writes hosted sparse extents (monolithicSparse: one extent with the descriptor embedded; twoGbMaxExtentSparse:
 * extents beside a descriptor file), laid out as qemu and VMware Workstation lay them out: header, embedded
 * descriptor, redundant grain directory and tables, grain directory and tables, then the grains, appended in guest
 * order. Both directories are complete from the start (every table has its place); a grain table is written, to
 * both places, once its 32 MiB of guest disk is done.
 */
final class VmdkSparseWriter implements ImageWriter {
    static final int GRAIN_SECTORS = 128;
    static final int GRAIN_SIZE = GRAIN_SECTORS * 512;
    static final int GTES_PER_GT = 512;
    static final int GT_SECTORS = GTES_PER_GT * 4 / 512;
    private static final long MAX_SECTOR = 0xffffffffL;

    private final VmdkLayout layout;
    private final VmdkConfig config;
    private final List<ExtentWriter> extents = new ArrayList<>();
    private final TargetFiles.TargetFile descriptorFile;
    private final long capacitySectors;

    VmdkSparseWriter(VmdkLayout layout, TargetFiles outputs, long size) throws IOException {
        this.layout = layout;
        this.config = layout.config();
        this.capacitySectors = size / 512;
        boolean embedded = !config.subformat().separateDescriptor();
        for (VmdkLayout.Extent extent : layout.extents()) {
            extents.add(new ExtentWriter(extent, outputs.create(extent.path()), embedded));
        }
        this.descriptorFile = embedded ? null : outputs.create(layout.descriptor());
    }

    @Override
    public int unitSize() {
        return GRAIN_SIZE;
    }

    @Override
    public boolean parallel() {
        return false;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        int unit = 0;
        while (unit < window.unitCount()) {
            long guest = window.unitStart(unit);
            ExtentWriter extent = extents.get(layout.extentAt(guest));
            byte kind = window.kind(unit);
            if (kind != WriteWindow.DATA) {
                if (kind == WriteWindow.SCANNED_ZERO && config.zeroedGrain()) {
                    extent.setEntry(guest, 1);
                }
                unit++;
                continue;
            }
            int first = unit;
            long extentEnd = extent.extent.guestStart() + extent.extent.bytes();
            while (unit < window.unitCount() && window.kind(unit) == WriteWindow.DATA && window.unitStart(unit) < extentEnd) {
                unit++;
            }
            extent.appendGrains(guest, window.units(first, unit), unit - first);
        }
    }

    @Override
    public void finish() throws IOException {
        for (ExtentWriter extent : extents) {
            extent.finish();
        }
        if (descriptorFile != null) {
            FileWrites.writeFully(descriptorFile.channel(), ByteBuffer.wrap(VmdkDescriptor.bytes(layout, capacitySectors)), 0);
        }
    }

    /** One sparse extent file and its grain tables. */
    private final class ExtentWriter {
        final VmdkLayout.Extent extent;
        final TargetFiles.TargetFile file;
        final SparseHeader header;
        final long gtCount;
        final long gdSectors;
        final long rgtStart;
        final long gtStart;
        final int[] table = new int[GTES_PER_GT];
        long tableIndex = -1;
        boolean tableUsed;
        long nextSector;

        ExtentWriter(VmdkLayout.Extent extent, TargetFiles.TargetFile file, boolean embedded) {
            this.extent = extent;
            this.file = file;
            long grains = Math.ceilDiv(extent.sectors(), GRAIN_SECTORS);
            this.gtCount = Math.max(1, Math.ceilDiv(grains, GTES_PER_GT));
            this.gdSectors = Math.ceilDiv(gtCount * 4, 512);
            long descriptorSectors = embedded ? VmdkDescriptor.EMBEDDED_SECTORS : 0;
            long rgd = 1 + descriptorSectors;
            this.rgtStart = rgd + gdSectors;
            long gd = rgtStart + gtCount * GT_SECTORS;
            this.gtStart = gd + gdSectors;
            long overhead = TargetConfig.roundUp(gtStart + gtCount * GT_SECTORS, GRAIN_SECTORS);
            int flags = SparseHeader.FLAG_VALID_NEWLINE_DETECTION | SparseHeader.FLAG_REDUNDANT_GT
                    | (config.zeroedGrain() ? SparseHeader.FLAG_ZEROED_GRAIN : 0);
            this.header = SparseHeader.ofNewExtent(config.zeroedGrain() ? 2 : 1, flags, extent.sectors(), GRAIN_SECTORS,
                    embedded ? 1 : 0, descriptorSectors, GTES_PER_GT, rgd, gd, overhead, 0);
            this.nextSector = overhead;
        }

        void appendGrains(long guest, ByteBuffer bytes, int count) throws IOException {
            long sector = nextSector;
            if (sector + (long) count * GRAIN_SECTORS - 1 > MAX_SECTOR) {
                throw new LimitExceeded("vmdk", "grain table", -1, "the extent would grow past 2 TiB, which 32-bit "
                        + "grain offsets cannot address (use subformat=twoGbMaxExtentSparse)");
            }
            FileWrites.writeFully(file.channel(), bytes, sector * 512);
            for (int i = 0; i < count; i++) {
                setEntry(guest + (long) i * GRAIN_SIZE, (int) (sector + (long) i * GRAIN_SECTORS));
            }
            nextSector = sector + (long) count * GRAIN_SECTORS;
        }

        void setEntry(long guest, int value) throws IOException {
            long grain = (guest - extent.guestStart()) / GRAIN_SIZE;
            long index = grain / GTES_PER_GT;
            if (index != tableIndex) {
                flushTable();
                tableIndex = index;
            }
            table[(int) (grain % GTES_PER_GT)] = value;
            tableUsed = true;
        }

        /** Writes the grain table being filled to both of its places. */
        void flushTable() throws IOException {
            if (tableIndex < 0 || !tableUsed) {
                return;
            }
            ByteBuffer bytes = ByteBuffer.allocate(GT_SECTORS * 512).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asIntBuffer().put(table);
            FileWrites.writeFully(file.channel(), bytes.duplicate(), (rgtStart + tableIndex * GT_SECTORS) * 512);
            FileWrites.writeFully(file.channel(), bytes, (gtStart + tableIndex * GT_SECTORS) * 512);
            java.util.Arrays.fill(table, 0);
            tableUsed = false;
        }

        void finish() throws IOException {
            flushTable();
            ByteBuffer directory = ByteBuffer.allocate((int) (gdSectors * 512)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer redundant = ByteBuffer.allocate((int) (gdSectors * 512)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < gtCount; i++) {
                directory.putInt((int) (i * 4), (int) (gtStart + i * GT_SECTORS));
                redundant.putInt((int) (i * 4), (int) (rgtStart + i * GT_SECTORS));
            }
            FileWrites.writeFully(file.channel(), redundant, header.rgdOffset() * 512);
            FileWrites.writeFully(file.channel(), directory, header.gdOffset() * 512);
            if (header.descriptorOffset() > 0) {
                byte[] descriptor = VmdkDescriptor.bytes(layout, capacitySectors);
                if (descriptor.length > VmdkDescriptor.EMBEDDED_SECTORS * 512) {
                    throw new IllegalStateException("descriptor longer than its reserved sectors");
                }
                FileWrites.writeFully(file.channel(), ByteBuffer.wrap(descriptor), header.descriptorOffset() * 512);
            }
            file.setLength(nextSector * 512);
            FileWrites.writeFully(file.channel(), header.encode(), 0);
        }
    }
}

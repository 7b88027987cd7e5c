package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;

/**
 * Writes a clean VHDX (no log to replay: the log GUID is zero and the log empty, as qemu leaves a file it closed).
 * Fixed: every block is present from the start, laid out in guest order, written from the workers in parallel.
 * Dynamic: a block is appended at the end of the file when its first data arrives (in guest order, so the layout is
 * reproducible), and the blocks that receive none are ZERO (qemu's {@code block_state_zero=on}, its default) or
 * NOT_PRESENT. The BAT is written a page at a time as the guest order passes it, so memory does not grow with the disk.
 */
final class VhdxWriter implements ImageWriter {
    /** Zero detection works in 64 KiB units: zero runs inside a stored block stay holes in the file. */
    static final int UNIT = 64 * 1024;
    private static final int PAGE_ENTRIES = 8192;

    private final VhdxConfig config;
    private final VhdxLayout layout;
    private final TargetFiles.TargetFile file;
    private final long defaultEntry;
    private final long[] page = new long[PAGE_ENTRIES];
    private long pageIndex = 0;
    private long nextPageToWrite = 0;
    private long allocatedBlock = -1;
    private long allocatedAt;
    private long storedBlocks;

    VhdxWriter(VhdxConfig config, VhdxLayout layout, TargetFiles.TargetFile file) throws IOException {
        this.config = config;
        this.layout = layout;
        this.file = file;
        this.defaultEntry = config.fixed() ? 0 : config.blockStateZero() ? Bat.ZERO : Bat.NOT_PRESENT;
        Arrays.fill(page, defaultEntry);
        file.setLength(config.fixed() ? layout.fileSize(layout.blocks()) : layout.dataStart());
    }

    @Override
    public int unitSize() {
        return UNIT;
    }

    @Override
    public boolean parallel() {
        return config.fixed();
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        window.forEachDataSlice(this::writeGuest);
    }

    private void writeGuest(long guest, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            long block = guest / layout.blockSize();
            long inBlock = guest % layout.blockSize();
            int length = (int) Math.min(bytes.remaining(), layout.blockSize() - inBlock);
            ByteBuffer part = bytes.slice(bytes.position(), length);
            file.write(part, blockOffset(block) + inBlock);
            bytes.position(bytes.position() + length);
            guest += length;
        }
    }

    /** The host offset of a block: fixed by the layout, or (dynamic) the next place at the end of the file. */
    private long blockOffset(long block) throws IOException {
        if (config.fixed()) {
            return layout.dataStart() + block * layout.blockSize();
        }
        if (block != allocatedBlock) {
            allocatedBlock = block;
            allocatedAt = layout.fileSize(storedBlocks++);
            setEntry(layout.payloadIndex(block), Bat.entry(Bat.FULLY_PRESENT, allocatedAt));
            file.setLength(allocatedAt + layout.blockSize());
        }
        return allocatedAt;
    }

    private void setEntry(long index, long entry) throws IOException {
        long pageOfEntry = index / PAGE_ENTRIES;
        while (pageOfEntry > pageIndex) {
            flushPage();
        }
        page[(int) (index % PAGE_ENTRIES)] = entry;
    }

    /** Writes the page being filled (when it holds anything but zero bytes) and starts the next. */
    private void flushPage() throws IOException {
        long first = pageIndex * PAGE_ENTRIES;
        int count = (int) Math.max(0, Math.min(PAGE_ENTRIES, layout.batEntries() - first));
        if (count > 0) {
            ByteBuffer bytes = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
            boolean any = false;
            for (int i = 0; i < count; i++) {
                long entry = page[i];
                if (config.fixed()) {
                    entry = fixedEntry(first + i);
                } else if ((first + i) % (layout.chunkRatio() + 1) == layout.chunkRatio()) {
                    entry = 0; // sector bitmap entries: never present outside differencing disks
                }
                any |= entry != 0;
                bytes.putLong(i * 8, entry);
            }
            if (any) {
                file.write(bytes, layout.batOffset() + first * 8);
            }
        }
        Arrays.fill(page, defaultEntry);
        pageIndex++;
    }

    private long fixedEntry(long index) {
        long chunk = layout.chunkRatio() + 1;
        if (index % chunk == layout.chunkRatio()) {
            return 0;
        }
        long block = index - index / chunk;
        return Bat.entry(Bat.FULLY_PRESENT, layout.dataStart() + block * layout.blockSize());
    }

    @Override
    public void finish() throws IOException {
        while (pageIndex * PAGE_ENTRIES < layout.batEntries()) {
            flushPage();
        }
        writeMetadata();
        RegionTable regions = new RegionTable(List.of(
                new RegionTable.Entry(RegionTable.BAT, layout.batOffset(), layout.batLength(), true),
                new RegionTable.Entry(RegionTable.METADATA, layout.metadataOffset(), VhdxLayout.METADATA_LENGTH, true)));
        file.write(regions.encode(), RegionTable.FIRST_OFFSET);
        file.write(regions.encode(), RegionTable.SECOND_OFFSET);
        Guid fileWrite = Guid.random();
        Guid dataWrite = Guid.random();
        file.write(VhdxHeader.of(1, fileWrite, dataWrite, layout.logLength(), VhdxLayout.LOG_OFFSET).encode(),
                VhdxHeader.FIRST_OFFSET);
        file.write(VhdxHeader.of(2, fileWrite, dataWrite, layout.logLength(), VhdxLayout.LOG_OFFSET).encode(),
                VhdxHeader.SECOND_OFFSET);
        ByteBuffer identifier = ByteBuffer.allocate(8 + 2 * CREATOR.length()).order(ByteOrder.LITTLE_ENDIAN);
        identifier.putLong(0, VhdxImage.SIGNATURE).put(8, CREATOR.getBytes(StandardCharsets.UTF_16LE));
        file.write(identifier, 0);
    }

    private static final String CREATOR = "DiskLens";

    /** The metadata table and the five items qemu writes, in its order, the items from 64 KiB on. */
    private void writeMetadata() throws IOException {
        ByteBuffer table = ByteBuffer.allocate(VhdxMetadata.TABLE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer items = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        table.putLong(0, VhdxMetadata.SIGNATURE).putShort(10, (short) 5);
        items.putInt(0, (int) layout.blockSize()).putInt(4, config.fixed() ? 1 : 0);
        items.putLong(8, layout.virtualSize());
        Guid.random().encode(items, 16);
        items.putInt(32, VhdxLayout.SECTOR_SIZE).putInt(36, VhdxLayout.SECTOR_SIZE);
        Guid[] guids = {VhdxMetadata.FILE_PARAMETERS, VhdxMetadata.VIRTUAL_DISK_SIZE, VhdxMetadata.VIRTUAL_DISK_ID,
            VhdxMetadata.LOGICAL_SECTOR_SIZE, VhdxMetadata.PHYSICAL_SECTOR_SIZE};
        int[] lengths = {8, 8, 16, 4, 4};
        int offset = VhdxMetadata.TABLE_SIZE;
        for (int i = 0; i < guids.length; i++) {
            int at = 32 + i * 32;
            guids[i].encode(table, at);
            table.putInt(at + 16, offset).putInt(at + 20, lengths[i]).putInt(at + 24, i == 0 ? 4 : 6);
            offset += lengths[i];
        }
        file.write(table, layout.metadataOffset());
        file.write(items, layout.metadataOffset() + VhdxMetadata.TABLE_SIZE);
    }
}

package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds small VHDX files from MS-VHDX directly, for what qemu-img cannot make: differencing disks (qemu refuses them),
 * sector bitmaps, every payload state, compact layouts for fuzz seeds, and damaged copies (checksums resealed so the
 * damage under test is the one that is reached).
 *
 * <p>Layout: file identifier and headers, both region tables, the BAT at 320 KiB, the metadata region after it, an
 * (empty) log of 1 MiB at 1 MiB when asked for, then sector bitmap and payload blocks on MiB boundaries in the order
 * they were added.
 */
final class VhdxBuilder {
    static final long KIB = 1024;
    static final long MIB = 1 << 20;
    static final long BAT_OFFSET = 320 * KIB;

    private final long virtualSize;
    private final long blockSize;
    private boolean fixed;
    private Guid dataWriteGuid = Guid.random();
    private Map<String, String> parent;
    private boolean withLogRegion;
    private final TreeMap<Long, Object[]> blocks = new TreeMap<>();

    VhdxBuilder(long virtualSize, long blockSize) {
        this.virtualSize = virtualSize;
        this.blockSize = blockSize;
    }

    VhdxBuilder fixed() {
        fixed = true;
        return this;
    }

    VhdxBuilder dataWriteGuid(Guid guid) {
        dataWriteGuid = guid;
        return this;
    }

    /** Makes a differencing disk with these parent locator entries (keys as the spec names them). */
    VhdxBuilder parent(Map<String, String> locator) {
        parent = new LinkedHashMap<>(locator);
        return this;
    }

    /** Keeps a 1 MiB log region at 1 MiB (empty; {@link LogBuilder} fills it). */
    VhdxBuilder logRegion() {
        withLogRegion = true;
        return this;
    }

    /** A payload block in {@code state}; with data (the block's first bytes) for the present states. */
    VhdxBuilder block(long index, int state, byte[] data) {
        blocks.put(index, new Object[] {state, data, null});
        return this;
    }

    /** A partially present block of a differencing disk: its data, and which of its sectors are present. */
    VhdxBuilder partial(long index, byte[] data, BitSet presentSectors) {
        blocks.put(index, new Object[] {Bat.PARTIALLY_PRESENT, data, presentSectors});
        return this;
    }

    long chunkRatio() {
        return (1L << 23) * 512 / blockSize;
    }

    long batEntries() {
        long count = Math.ceilDiv(virtualSize, blockSize);
        return parent != null ? Math.ceilDiv(count, chunkRatio()) * (chunkRatio() + 1)
                : count == 0 ? 0 : count + (count - 1) / chunkRatio();
    }

    long metadataOffset() {
        return BAT_OFFSET + Math.max(4 * KIB, roundUp(batEntries() * 8, 4 * KIB));
    }

    byte[] build() {
        long metadataOffset = metadataOffset();
        long metadataLength = 64 * KIB + 4 * KIB;
        long next = roundUp(metadataOffset + metadataLength, MIB);
        if (withLogRegion) {
            next = Math.max(next, 2 * MIB);
        }
        Map<Long, Long> bitmapOffsets = new TreeMap<>();
        Map<Long, Long> blockOffsets = new TreeMap<>();
        for (Map.Entry<Long, Object[]> block : blocks.entrySet()) {
            int state = (int) block.getValue()[0];
            if (state == Bat.PARTIALLY_PRESENT && !bitmapOffsets.containsKey(block.getKey() / chunkRatio())) {
                bitmapOffsets.put(block.getKey() / chunkRatio(), next);
                next += MIB;
            }
            if (state == Bat.FULLY_PRESENT || state == Bat.PARTIALLY_PRESENT) {
                blockOffsets.put(block.getKey(), next);
                next += blockSize;
            }
        }
        if (fixed) {
            for (long index = 0; index < Math.ceilDiv(virtualSize, blockSize); index++) {
                if (!blockOffsets.containsKey(index)) {
                    blockOffsets.put(index, next);
                    next += blockSize;
                }
            }
        }
        ByteBuffer file = ByteBuffer.allocate(Math.toIntExact(next)).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(0, VhdxImage.SIGNATURE).put(8, "DiskLens test".getBytes(StandardCharsets.UTF_16LE));
        Guid fileWrite = Guid.random();
        long logLength = withLogRegion ? MIB : 0;
        file.put((int) VhdxHeader.FIRST_OFFSET, VhdxHeader.of(5, fileWrite, dataWriteGuid, logLength, MIB).encode().array());
        file.put((int) VhdxHeader.SECOND_OFFSET, VhdxHeader.of(6, fileWrite, dataWriteGuid, logLength, MIB).encode().array());
        RegionTable regions = new RegionTable(java.util.List.of(
                new RegionTable.Entry(RegionTable.BAT, BAT_OFFSET, metadataOffset - BAT_OFFSET, true),
                new RegionTable.Entry(RegionTable.METADATA, metadataOffset, metadataLength, true)));
        file.put((int) RegionTable.FIRST_OFFSET, regions.encode().array());
        file.put((int) RegionTable.SECOND_OFFSET, regions.encode().array());
        writeMetadata(file, metadataOffset);
        for (Map.Entry<Long, Long> bitmap : bitmapOffsets.entrySet()) {
            long index = bitmap.getKey() * (chunkRatio() + 1) + chunkRatio();
            file.putLong((int) (BAT_OFFSET + index * 8), Bat.entry(Bat.SB_PRESENT, bitmap.getValue()));
        }
        for (long index = 0; index < Math.ceilDiv(virtualSize, blockSize); index++) {
            Object[] block = blocks.get(index);
            int state = block == null ? (fixed ? Bat.FULLY_PRESENT : Bat.NOT_PRESENT) : (int) block[0];
            long offset = blockOffsets.getOrDefault(index, 0L);
            long batIndex = index + index / chunkRatio();
            file.putLong((int) (BAT_OFFSET + batIndex * 8), Bat.entry(state, offset));
            if (block != null && block[1] != null && offset != 0) {
                file.put((int) offset, (byte[]) block[1]);
            }
            if (block != null && block[2] != null) {
                BitSet sectors = (BitSet) block[2];
                long bitmapAt = bitmapOffsets.get(index / chunkRatio());
                long firstSector = (index % chunkRatio()) * (blockSize / 512);
                for (int sector = sectors.nextSetBit(0); sector >= 0; sector = sectors.nextSetBit(sector + 1)) {
                    long bit = firstSector + sector;
                    int at = (int) (bitmapAt + bit / 8);
                    file.put(at, (byte) (file.get(at) | 1 << (bit % 8)));
                }
            }
        }
        return file.array();
    }

    private void writeMetadata(ByteBuffer file, long metadataOffset) {
        int table = (int) metadataOffset;
        ByteBuffer items = ByteBuffer.allocate((int) (4 * KIB)).order(ByteOrder.LITTLE_ENDIAN);
        items.putInt(0, (int) blockSize).putInt(4, (fixed ? 1 : 0) | (parent != null ? 2 : 0));
        items.putLong(8, virtualSize);
        Guid.random().encode(items, 16);
        items.putInt(32, 512).putInt(36, 4096);
        int itemsLength = 40;
        Guid[] guids = {VhdxMetadata.FILE_PARAMETERS, VhdxMetadata.VIRTUAL_DISK_SIZE, VhdxMetadata.VIRTUAL_DISK_ID,
            VhdxMetadata.LOGICAL_SECTOR_SIZE, VhdxMetadata.PHYSICAL_SECTOR_SIZE, VhdxMetadata.PARENT_LOCATOR};
        int[] lengths = {8, 8, 16, 4, 4, 0};
        if (parent != null) {
            ByteBuffer locator = new ParentLocator(ParentLocator.VHDX_TYPE, parent).encode();
            lengths[5] = locator.capacity();
            items.put(itemsLength, locator.array());
        }
        int count = parent != null ? 6 : 5;
        file.putLong(table, VhdxMetadata.SIGNATURE).putShort(table + 10, (short) count);
        int offset = (int) (64 * KIB);
        for (int i = 0; i < count; i++) {
            int at = table + 32 + i * 32;
            guids[i].encode(file, at);
            file.putInt(at + 16, offset).putInt(at + 20, lengths[i]).putInt(at + 24, i == 0 || i == 5 ? 4 : 6);
            offset += lengths[i];
        }
        file.put((int) (metadataOffset + 64 * KIB), items.array());
    }

    Path write(Path path) throws IOException {
        Files.write(path, build());
        return path;
    }

    static long roundUp(long value, long unit) {
        return Math.ceilDiv(value, unit) * unit;
    }

    // ---- damaging copies, checksums resealed ----

    /** Changes the region table (both copies) and reseals its checksum. */
    static void patchRegionTable(Path file, Consumer<ByteBuffer> change) throws IOException {
        for (long at : new long[] {RegionTable.FIRST_OFFSET, RegionTable.SECOND_OFFSET}) {
            patch(file, at, RegionTable.SIZE, change);
        }
    }

    /** Changes both headers and reseals their checksums. */
    static void patchHeaders(Path file, Consumer<ByteBuffer> change) throws IOException {
        for (long at : new long[] {VhdxHeader.FIRST_OFFSET, VhdxHeader.SECOND_OFFSET}) {
            patch(file, at, VhdxHeader.SIZE, change);
        }
    }

    private static void patch(Path file, long at, int size, Consumer<ByteBuffer> change) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, at);
            change.accept(bytes);
            Checksums.seal(bytes, 4);
            channel.write(bytes.clear(), at);
        }
    }
}

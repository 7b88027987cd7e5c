package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.disklens.image.Bounds;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * A sparse extent, hosted ({@code KDMV}) or ESX ({@code COWD}): a grain directory of grain tables of grain
 * offsets, all in sectors. A grain-table entry of 0 is unallocated (read the parent); 1 is a zeroed grain
 * where the header allows it; anything else is the grain's sector (compressed grains start with a marker).
 * Grain tables are cached, bounded in bytes.
 */
final class SparseExtent implements Extent {
    /** The grain directory may take at most this much memory (all of a disk's directories together, too). */
    static final long MAX_GD_BYTES = 32L << 20;
    /** COWD (vmfsSparse) grain tables always have 4096 entries. */
    static final int COWD_GTES_PER_GT = 4096;
    private static final int COWD_MAGIC = 0x44574f43;

    private final BlockSource source;
    private final String fileName;
    private final String type;
    private final long length;
    private final long grainBytes;
    private final int gtesPerGt;
    private final IntBuffer grainDirectory;
    private final long gdHostOffset;
    private final long rgdHostOffset;
    private final boolean zeroedGrains;
    private final boolean compressed;
    private final boolean markers;
    private final GrainTableCache grainTables;

    private SparseExtent(BlockSource source, String fileName, String type, long length, long grainBytes, int gtesPerGt,
                         IntBuffer grainDirectory, long gdHostOffset, long rgdHostOffset, boolean zeroedGrains,
                         boolean compressed, boolean markers, GrainTableCache grainTables) {
        this.source = source;
        this.fileName = fileName;
        this.type = type;
        this.length = length;
        this.grainBytes = grainBytes;
        this.gtesPerGt = gtesPerGt;
        this.grainDirectory = grainDirectory;
        this.gdHostOffset = gdHostOffset;
        this.rgdHostOffset = rgdHostOffset;
        this.zeroedGrains = zeroedGrains;
        this.compressed = compressed;
        this.markers = markers;
        this.grainTables = grainTables;
    }

    /** A hosted sparse extent from its (already validated, footer-resolved) header. */
    static SparseExtent hosted(BlockSource source, String fileName, String type, SparseHeader header, long length,
                               GrainTableCache grainTables) throws IOException {
        long gdOffset = sectorsToBytes(header.gdOffset(), "grain directory");
        IntBuffer gd = readDirectory(source, gdOffset, header.gdEntries());
        long rgdOffset = (header.flags() & SparseHeader.FLAG_REDUNDANT_GT) != 0 && header.rgdOffset() > 0
                ? sectorsToBytes(header.rgdOffset(), "redundant grain directory") : -1;
        return new SparseExtent(source, fileName, type, length, header.grainBytes(), (int) header.numGTEsPerGT(), gd,
                gdOffset, rgdOffset, header.zeroedGrains(), header.compressed(),
                (header.flags() & SparseHeader.FLAG_MARKERS) != 0, grainTables);
    }

    static boolean isCowd(ByteBuffer start) {
        return start.remaining() >= 4 && start.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == COWD_MAGIC;
    }

    /** An ESX sparse extent (COWD, as vmfsSparse deltas are): version, flags, sectors, granularity, GD. */
    static SparseExtent cowd(BlockSource source, String fileName, String type, long length, GrainTableCache grainTables)
            throws IOException {
        ByteBuffer header = source.read(0, 32, ByteOrder.LITTLE_ENDIAN);
        long capacity = Integer.toUnsignedLong(header.getInt(12));
        long grainSectors = Integer.toUnsignedLong(header.getInt(16));
        long gdOffset = Integer.toUnsignedLong(header.getInt(20)) * 512;
        long gdEntries = Integer.toUnsignedLong(header.getInt(24));
        if (grainSectors == 0 || Long.bitCount(grainSectors) != 1 || grainSectors > SparseHeader.MAX_GRAIN_SECTORS) {
            throw new LimitExceeded("vmdk", "COWD header", 0, "grain size of %d sectors".formatted(grainSectors));
        }
        long needed = (capacity + grainSectors * COWD_GTES_PER_GT - 1) / (grainSectors * COWD_GTES_PER_GT);
        if (gdEntries < needed) {
            throw new CorruptImage("vmdk", "COWD header", 0, "%d directory entries cannot cover %d sectors".formatted(gdEntries, capacity));
        }
        IntBuffer gd = readDirectory(source, gdOffset, gdEntries);
        return new SparseExtent(source, fileName, type, length, grainSectors << 9, COWD_GTES_PER_GT, gd, gdOffset, -1,
                false, false, false, grainTables);
    }

    private static long sectorsToBytes(long sectors, String what) throws CorruptImage {
        if (sectors < 0 || sectors > (Long.MAX_VALUE >> 9)) {
            throw new CorruptImage("vmdk", what, -1, "offset of %s sectors is out of range".formatted(Long.toUnsignedString(sectors)));
        }
        return sectors << 9;
    }

    private static IntBuffer readDirectory(BlockSource source, long hostOffset, long entries) throws IOException {
        Bounds.checkTable("vmdk", "grain directory", hostOffset, entries, 4, MAX_GD_BYTES, source.size());
        return source.read(hostOffset, (int) (entries * 4), ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    }

    // ---- mapping ----

    @Override
    public Mapping map(long offsetInExtent, long maxLength) throws IOException {
        long limit = Math.min(maxLength, length - offsetInExtent);
        long grain = offsetInExtent / grainBytes;
        long gdIndex = grain / gtesPerGt;
        if (gdIndex >= grainDirectory.limit()) {
            throw new CorruptImage("vmdk", "grain directory", gdHostOffset,
                    "offset %d of extent %s lies beyond its %d entries".formatted(offsetInExtent, fileName, grainDirectory.limit()));
        }
        long gtSector = Integer.toUnsignedLong(grainDirectory.get((int) gdIndex));
        if (gtSector == 0) {
            return new Mapping.Unallocated(unallocatedDirectoryRun(offsetInExtent, limit));
        }
        IntBuffer table = grainTable(gdIndex, gtSector);
        return mapInTable(table, offsetInExtent, limit);
    }

    /** Bytes from {@code offsetInExtent} covered by consecutive directory entries without a grain table. */
    private long unallocatedDirectoryRun(long offsetInExtent, long limit) {
        long bytesPerTable = grainBytes * gtesPerGt;
        long index = offsetInExtent / bytesPerTable;
        long end = offsetInExtent;
        while (end - offsetInExtent < limit && index < grainDirectory.limit() && grainDirectory.get((int) index) == 0) {
            index++;
            end = index * bytesPerTable;
        }
        return Math.min(end - offsetInExtent, limit);
    }

    private Mapping mapInTable(IntBuffer table, long offsetInExtent, long limit) throws IOException {
        long grain = offsetInExtent / grainBytes;
        long offsetInGrain = offsetInExtent % grainBytes;
        long tableEnd = (grain / gtesPerGt + 1) * gtesPerGt * grainBytes;
        long end = Math.min(offsetInExtent + limit, tableEnd);
        long entry = Integer.toUnsignedLong(table.get((int) (grain % gtesPerGt)));
        GrainKind kind = kindOf(entry);
        if (kind == GrainKind.DATA && compressed) {
            long grainEnd = Math.min(end, (grain + 1) * grainBytes);
            CompressedGrain unit = new CompressedGrain(source, entry << 9, (int) grainBytes, markers);
            return new Mapping.Compressed(grainEnd - offsetInExtent, entry << 9, (int) offsetInGrain, unit);
        }
        long runEnd = (grain + 1) * grainBytes;
        long next = grain + 1;
        while (runEnd < end) {
            long nextEntry = Integer.toUnsignedLong(table.get((int) (next % gtesPerGt)));
            boolean continues = kindOf(nextEntry) == kind
                    && (kind != GrainKind.DATA || nextEntry == entry + (next - grain) * (grainBytes >> 9));
            if (!continues) {
                break;
            }
            runEnd += grainBytes;
            next++;
        }
        long runLength = Math.min(runEnd, end) - offsetInExtent;
        return switch (kind) {
            case UNALLOCATED -> new Mapping.Unallocated(runLength);
            case ZEROED -> new Mapping.Zero(runLength);
            case DATA -> new Mapping.Data(source, (entry << 9) + offsetInGrain, runLength);
        };
    }

    private enum GrainKind { UNALLOCATED, ZEROED, DATA }

    private GrainKind kindOf(long entry) {
        if (entry == 0) {
            return GrainKind.UNALLOCATED;
        }
        return entry == 1 && zeroedGrains ? GrainKind.ZEROED : GrainKind.DATA;
    }

    /** The grain table a directory entry points at, checked against the file and cached. */
    IntBuffer grainTable(long gdIndex, long gtSector) throws IOException {
        long hostOffset = gtSector << 9;
        IntBuffer cached = grainTables.get(source, hostOffset);
        if (cached != null) {
            return cached;
        }
        if (hostOffset > source.size() - gtesPerGt * 4L) {
            throw new CorruptImage("vmdk", "grain directory", gdHostOffset,
                    "entry %d points past the end of %s (0x%x)".formatted(gdIndex, fileName, source.size()));
        }
        IntBuffer table = source.read(hostOffset, gtesPerGt * 4, ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        grainTables.put(source, hostOffset, table);
        return table;
    }

    // ---- facts ----

    @Override
    public long length() {
        return length;
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public boolean flat() {
        return false;
    }

    @Override
    public Map<String, Object> info(UnaryOperator<String> shown) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("filename", fileName.isEmpty() ? fileName : shown.apply(fileName));
        info.put("format", type);
        info.put("virtual-size", length);
        info.put("cluster-size", grainBytes);
        if (compressed) {
            info.put("compressed", true);
        }
        return info;
    }

    long grainBytes() {
        return grainBytes;
    }

    int gtesPerGt() {
        return gtesPerGt;
    }

    IntBuffer grainDirectory() {
        return grainDirectory;
    }

    long gdHostOffset() {
        return gdHostOffset;
    }

    long rgdHostOffset() {
        return rgdHostOffset;
    }

    boolean zeroedGrains() {
        return zeroedGrains;
    }

    boolean compressed() {
        return compressed;
    }

    boolean markers() {
        return markers;
    }

    String fileName() {
        return fileName;
    }
}

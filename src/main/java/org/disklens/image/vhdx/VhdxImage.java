package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.disklens.image.BackingReference;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;
import org.disklens.io.BlockSource;

/**
 * A VHDX file opened read-only: headers, log replayed in memory, region table, metadata and a lazily read BAT. Guest
 * offsets map per payload block, and for the partially present blocks of a differencing disk per run of its sector
 * bitmap. See {@code package-info.java}.
 */
public final class VhdxImage implements DiskImage {
    static final long SIGNATURE = 0x656c696678646876L; // "vhdxfile"
    static final long HEADER_SECTION = 1 << 20;
    static final long SECTOR_BITMAP_BLOCK = 1 << 20;
    /** Consecutive blocks one map answer may cover. */
    private static final int MAX_RUN_BLOCKS = 4096;

    private final BlockSource original;
    private final BlockSource file;
    private final String creator;
    private final VhdxHeader[] headers;
    private final int current;
    private final RegionTable regions;
    private final RegionTable.Entry batRegion;
    private final RegionTable.Entry metadataRegion;
    private final VhdxMetadata metadata;
    private final Bat bat;
    private final long blockSize;
    private final long fileSize;
    private final List<long[]> structures;

    private VhdxImage(BlockSource original, BlockSource file, String creator, VhdxHeader[] headers, int current,
                      RegionTable regions, VhdxMetadata metadata) throws IOException {
        this.original = original;
        this.file = file;
        this.creator = creator;
        this.headers = headers;
        this.current = current;
        this.regions = regions;
        this.batRegion = regions.bat(RegionTable.FIRST_OFFSET);
        this.metadataRegion = regions.metadata(RegionTable.FIRST_OFFSET);
        this.metadata = metadata;
        this.blockSize = metadata.blockSize();
        this.fileSize = file.size();
        long entries = metadata.batEntries();
        if (entries > batRegion.length() / 8) {
            throw new CorruptImage("vhdx", "BAT", batRegion.fileOffset(), "%d bytes hold fewer than the %d entries a disk of %d bytes needs"
                    .formatted(batRegion.length(), entries, metadata.virtualSize()));
        }
        this.bat = new Bat(file, batRegion.fileOffset(), entries, metadata.chunkRatio());
        VhdxHeader header = headers[current];
        this.structures = List.of(new long[] {0, HEADER_SECTION}, new long[] {header.logOffset(), header.logLength()},
                new long[] {batRegion.fileOffset(), batRegion.length()},
                new long[] {metadataRegion.fileOffset(), metadataRegion.length()});
    }

    static VhdxImage open(BlockSource source) throws IOException {
        long size = source.size();
        if (size < RegionTable.FIRST_OFFSET + RegionTable.SIZE) {
            throw new CorruptImage("vhdx", "header section", 0, "the file (%d bytes) ends inside the header section".formatted(size));
        }
        ByteBuffer identifier = source.read(0, 520, ByteOrder.LITTLE_ENDIAN);
        if (identifier.getLong(0) != SIGNATURE) {
            throw new CorruptImage("vhdx", "file identifier", 0, "no 'vhdxfile' signature");
        }
        VhdxHeader[] headers = {
            VhdxHeader.parse(source.read(VhdxHeader.FIRST_OFFSET, VhdxHeader.SIZE, ByteOrder.LITTLE_ENDIAN)),
            VhdxHeader.parse(source.read(VhdxHeader.SECOND_OFFSET, VhdxHeader.SIZE, ByteOrder.LITTLE_ENDIAN))};
        int current = currentHeader(headers);
        VhdxHeader header = headers[current];
        BlockSource file = VhdxLog.replay(source, header, headerOffset(current));
        // On failure the caller closes the source, which is all a replayed view holds.
        RegionTable regions = RegionTable.parse(file.read(RegionTable.FIRST_OFFSET, RegionTable.SIZE, ByteOrder.LITTLE_ENDIAN),
                RegionTable.FIRST_OFFSET);
        regions.bat(RegionTable.FIRST_OFFSET);
        RegionTable.Entry metadataRegion = regions.metadata(RegionTable.FIRST_OFFSET);
        regions.refuseUnknownRequired(RegionTable.FIRST_OFFSET);
        checkRegions(file, header, regions);
        VhdxMetadata metadata = VhdxMetadata.read(file, metadataRegion.fileOffset(), metadataRegion.length());
        if (metadata.hasParent()) {
            checkLocator(metadata);
        }
        return new VhdxImage(source, file, creator(identifier), headers, current, regions, metadata);
    }

    /** qemu's choice: the only valid header, else the higher sequence number; equal numbers only for equal headers. */
    static int currentHeader(VhdxHeader[] headers) throws ImageException {
        boolean first = headers[0].valid();
        boolean second = headers[1].valid();
        if (!first && !second) {
            throw new CorruptImage("vhdx", "headers", VhdxHeader.FIRST_OFFSET, "no valid header (header 1: %s; header 2: %s)"
                    .formatted(headers[0].problem(), headers[1].problem()));
        }
        if (first != second) {
            return first ? 0 : 1;
        }
        int order = Long.compareUnsigned(headers[0].sequenceNumber(), headers[1].sequenceNumber());
        if (order == 0 && !headers[0].equals(headers[1])) {
            throw new CorruptImage("vhdx", "headers", VhdxHeader.FIRST_OFFSET,
                    "both headers have sequence number %d but differ".formatted(headers[0].sequenceNumber()));
        }
        return order >= 0 ? 0 : 1;
    }

    static long headerOffset(int index) {
        return index == 0 ? VhdxHeader.FIRST_OFFSET : VhdxHeader.SECOND_OFFSET;
    }

    /**
     * Every region inside the file, clear of the headers and region tables, of the log and of each other. (The spec puts
     * regions after the 1 MiB header section; qemu only checks overlaps, and so does DiskLens.)
     */
    private static void checkRegions(BlockSource file, VhdxHeader header, RegionTable regions) throws IOException {
        List<long[]> placed = new ArrayList<>();
        placed.add(new long[] {0, RegionTable.SECOND_OFFSET + RegionTable.SIZE});
        if (header.logLength() > 0) {
            placed.add(new long[] {header.logOffset(), header.logOffset() + header.logLength()});
        }
        long size = file.size();
        for (RegionTable.Entry entry : regions.entries()) {
            long start = entry.fileOffset();
            long end = start + entry.length();
            if (start < 0 || end < start || end > size) {
                throw new CorruptImage("vhdx", entry.name(), start, "%d bytes run past the end of the file (0x%x)"
                        .formatted(entry.length(), size));
            }
            for (long[] other : placed) {
                if (start < other[1] && end > other[0]) {
                    throw new CorruptImage("vhdx", entry.name(), start, "overlaps %s at 0x%x".formatted(
                            other[0] == 0 ? "the headers and region tables" : "another region or the log", other[0]));
                }
            }
            if (entry.length() > 0) {
                placed.add(new long[] {start, end});
            }
        }
    }

    private static void checkLocator(VhdxMetadata metadata) throws ImageException {
        ParentLocator locator = metadata.parentLocator().orElseThrow();
        if (locator.linkage("parent_linkage").isEmpty()) {
            throw new CorruptImage("vhdx", "parent locator", -1, "no valid parent_linkage GUID");
        }
        if (locator.parentName().isEmpty()) {
            throw new CorruptImage("vhdx", "parent locator", -1, "no relative_path, volume_path or absolute_win32_path");
        }
    }

    private static String creator(ByteBuffer identifier) {
        byte[] bytes = new byte[512];
        identifier.get(8, bytes);
        String text = new String(bytes, StandardCharsets.UTF_16LE);
        int end = text.indexOf('\0');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }

    // ---- facts ----

    @Override
    public String format() {
        return "vhdx";
    }

    @Override
    public String formatTitle() {
        return "vhdx (%s)".formatted(subformat());
    }

    String subformat() {
        return metadata.hasParent() ? "differencing" : metadata.leaveBlocksAllocated() ? "fixed" : "dynamic";
    }

    /** The file with the log replayed over it (the original when there was nothing to replay). */
    @Override
    public BlockSource source() {
        return file;
    }

    @Override
    public long virtualSize() {
        return metadata.virtualSize();
    }

    @Override
    public OptionalInt clusterSize() {
        return OptionalInt.of((int) blockSize);
    }

    @Override
    public boolean hasDirtyFlag() {
        return true;
    }

    /** The log held updates that were not yet written to their places (they are replayed in memory here). */
    @Override
    public boolean dirty() {
        return file != original;
    }

    VhdxHeader header() {
        return headers[current];
    }

    VhdxHeader[] headers() {
        return headers.clone();
    }

    int currentHeaderIndex() {
        return current;
    }

    RegionTable regions() {
        return regions;
    }

    RegionTable.Entry batRegion() {
        return batRegion;
    }

    RegionTable.Entry metadataRegion() {
        return metadataRegion;
    }

    VhdxMetadata metadata() {
        return metadata;
    }

    Bat bat() {
        return bat;
    }

    BlockSource original() {
        return original;
    }

    /** The header section, the log, the BAT and the metadata region as {start, length}. */
    List<long[]> structures() {
        return structures;
    }

    @Override
    public Optional<BackingReference> backing() {
        if (!metadata.hasParent()) {
            return Optional.empty();
        }
        return metadata.parentLocator().flatMap(ParentLocator::parentName).map(name -> new BackingReference(name, Optional.of("vhdx")));
    }

    /** The spec's identity check: the parent's data write GUID is one of the child's parent linkages. */
    @Override
    public Optional<String> linkProblemWith(DiskImage backing) {
        if (!metadata.hasParent()) {
            return Optional.empty();
        }
        if (!(backing instanceof VhdxImage parent)) {
            return Optional.of("the parent of a differencing VHDX must be a VHDX, not %s".formatted(backing.format()));
        }
        ParentLocator locator = metadata.parentLocator().orElseThrow();
        Guid written = parent.header().dataWriteGuid();
        Optional<Guid> linkage = locator.linkage("parent_linkage");
        Optional<Guid> linkage2 = locator.linkage("parent_linkage2");
        if (linkage.filter(written::equals).isPresent() || linkage2.filter(written::equals).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("parent_linkage %s does not match its parent's data write GUID %s: the parent changed after "
                .formatted(linkage.map(Guid::braced).orElse("(none)"), written.braced()) + "this disk was made");
    }

    @Override
    public List<FeatureFlag> features() {
        List<FeatureFlag> flags = new ArrayList<>();
        flags.add(new FeatureFlag("type", subformat(), FeatureFlag.Concern.NEUTRAL));
        flags.add(new FeatureFlag("block size", Units.size(blockSize), FeatureFlag.Concern.NEUTRAL));
        flags.add(new FeatureFlag("sectors", "%d logical, %d physical".formatted(metadata.logicalSectorSize(),
                metadata.physicalSectorSize()), FeatureFlag.Concern.NEUTRAL));
        flags.add(dirty() ? new FeatureFlag("log", "replayed in memory (the file still holds unapplied updates)",
                FeatureFlag.Concern.WARNING) : new FeatureFlag("log", "empty", FeatureFlag.Concern.GOOD));
        return flags;
    }

    @Override
    public List<HeaderField> headerFields() {
        return VhdxHeaderFields.of(this, creator);
    }

    // ---- mapping ----

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        long block = guestOffset / blockSize;
        long inBlock = guestOffset % blockSize;
        long length = Math.min(maxLength, Math.min(blockSize - inBlock, virtualSize() - guestOffset));
        long entry = bat.payload(block);
        int state = Bat.state(entry);
        return switch (state) {
            case Bat.FULLY_PRESENT -> dataRun(block, inBlock, length, maxLength, guestOffset);
            case Bat.PARTIALLY_PRESENT -> partial(block, entry, inBlock, length, guestOffset);
            case Bat.NOT_PRESENT -> new Mapping.Unallocated(sameStateRun(block, length, maxLength, guestOffset, state));
            case Bat.ZERO, Bat.UNDEFINED, Bat.UNMAPPED, Bat.UNMAPPED_DRAFT ->
                    new Mapping.Zero(sameStateRun(block, length, maxLength, guestOffset, state));
            default -> throw new CorruptImage("vhdx", "BAT entry %d".formatted(bat.payloadIndex(block)), entryOffset(block),
                    "reserved payload state %d".formatted(state));
        };
    }

    private long entryOffset(long block) {
        return bat.hostOffset() + bat.payloadIndex(block) * 8;
    }

    /** A fully present block, extended over the following blocks stored right after it. */
    private Mapping dataRun(long block, long inBlock, long length, long maxLength, long guestOffset) throws IOException {
        long start = checkedBlockOffset(block, bat.payload(block));
        long run = length;
        long next = block + 1;
        while (run < maxLength && guestOffset + run < virtualSize() && next - block < MAX_RUN_BLOCKS) {
            long entry = bat.payload(next);
            if (Bat.state(entry) != Bat.FULLY_PRESENT || Bat.fileOffset(entry) != start + (next - block) * blockSize) {
                break;
            }
            checkedBlockOffset(next, entry);
            run = Math.min(maxLength, Math.min(run + blockSize, virtualSize() - guestOffset));
            next++;
        }
        return new Mapping.Data(file, start + inBlock, run);
    }

    /** Blocks after this one in the same state without data, as one run. */
    private long sameStateRun(long block, long length, long maxLength, long guestOffset, int state) throws IOException {
        long run = length;
        long next = block + 1;
        while (run < maxLength && guestOffset + run < virtualSize() && next - block < MAX_RUN_BLOCKS
                && Bat.state(bat.payload(next)) == state) {
            run = Math.min(maxLength, Math.min(run + blockSize, virtualSize() - guestOffset));
            next++;
        }
        return run;
    }

    /** Where a stored block lies, checked: after the header section, inside the file, clear of the other structures. */
    long checkedBlockOffset(long block, long entry) throws ImageException {
        long offset = Bat.fileOffset(entry);
        long length = Math.min(blockSize, virtualSize() - block * blockSize);
        String what = "BAT entry %d".formatted(bat.payloadIndex(block));
        if (offset > fileSize - length) {
            throw new CorruptImage("vhdx", what, entryOffset(block),
                    "block at 0x%x runs past the end of the file (0x%x)".formatted(offset, fileSize));
        }
        for (long[] structure : structures) {
            if (offset < structure[0] + structure[1] && offset + length > structure[0]) {
                throw new CorruptImage("vhdx", what, entryOffset(block),
                        "block at 0x%x overlaps the %s".formatted(offset, structureName(structure[0])));
            }
        }
        return offset;
    }

    String structureName(long start) {
        if (start == 0) {
            return "header section";
        }
        if (start == batRegion.fileOffset()) {
            return "BAT";
        }
        return start == metadataRegion.fileOffset() ? "metadata region" : "log";
    }

    /** A partially present block of a differencing disk: the run of sectors its bitmap says are here, or not. */
    private Mapping partial(long block, long entry, long inBlock, long length, long guestOffset) throws IOException {
        long blockOffset = checkedBlockOffset(block, entry);
        if (!metadata.hasParent()) {
            throw new CorruptImage("vhdx", "BAT entry %d".formatted(bat.payloadIndex(block)), entryOffset(block),
                    "a partially present block in a disk that has no parent");
        }
        long bitmapOffset = bitmapBlock(block / bat.chunkRatio());
        int sectorSize = metadata.logicalSectorSize();
        long firstSector = guestOffset / sectorSize;
        long lastSector = (guestOffset + length - 1) / sectorSize;
        long sectorInChunk = firstSector % (1L << 23);
        long bytesStart = sectorInChunk / 8;
        int bytes = (int) ((sectorInChunk + (lastSector - firstSector)) / 8 - bytesStart + 1);
        ByteBuffer bits = file.read(bitmapOffset + bytesStart, bytes, ByteOrder.LITTLE_ENDIAN);
        long bitStart = sectorInChunk - bytesStart * 8;
        boolean present = bit(bits, bitStart);
        long sectors = 1;
        while (firstSector + sectors <= lastSector && bit(bits, bitStart + sectors) == present) {
            sectors++;
        }
        long run = Math.min(length, (firstSector + sectors) * sectorSize - guestOffset);
        return present ? new Mapping.Data(file, blockOffset + inBlock, run) : new Mapping.Unallocated(run);
    }

    private static boolean bit(ByteBuffer bits, long index) {
        return (bits.get((int) (index / 8)) >> (index % 8) & 1) != 0;
    }

    /** The sector bitmap block of {@code chunk}, which a partially present block requires. */
    long bitmapBlock(long chunk) throws IOException {
        long index = bat.bitmapIndex(chunk);
        long entry = bat.get(index);
        long where = bat.hostOffset() + index * 8;
        if (Bat.state(entry) != Bat.SB_PRESENT) {
            throw new CorruptImage("vhdx", "BAT entry %d".formatted(index), where,
                    "the sector bitmap of a partially present block is not present (state %d)".formatted(Bat.state(entry)));
        }
        long offset = Bat.fileOffset(entry);
        if (offset > fileSize - SECTOR_BITMAP_BLOCK) {
            throw new CorruptImage("vhdx", "BAT entry %d".formatted(index), where,
                    "sector bitmap at 0x%x runs past the end of the file (0x%x)".formatted(offset, fileSize));
        }
        for (long[] structure : structures) {
            if (offset < structure[0] + structure[1] && offset + SECTOR_BITMAP_BLOCK > structure[0]) {
                throw new CorruptImage("vhdx", "BAT entry %d".formatted(index), where,
                        "sector bitmap at 0x%x overlaps the %s".formatted(offset, structureName(structure[0])));
            }
        }
        return offset;
    }

    // ---- check and layout ----

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new VhdxCheck(this, progress).run());
    }

    @Override
    public List<HostRegion> hostRegions() {
        return VhdxRegions.ALL;
    }

    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        VhdxRegions.describe(this, sink, progress);
    }

    @Override
    public long allocatedBytes() throws IOException {
        return original.allocatedBytes();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

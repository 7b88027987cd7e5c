package org.disklens.image.vdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.disklens.image.BackingReference;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * A VirtualBox VDI: static, dynamic, or a differencing (or undo) image over a parent known by its UUID. See
 * {@code package-info.java}.
 */
public final class VdiImage implements DiskImage {
    /** Block map entries one {@code map} call looks at, at most: runs longer than that are answered in parts. */
    private static final int MAX_SCAN_ENTRIES = 1 << 20;

    private final BlockSource source;
    private final VdiHeader header;
    private final BlockMap blockMap;
    private final long fileSize;

    private VdiImage(BlockSource source, VdiHeader header, long fileSize) {
        this.source = source;
        this.header = header;
        this.fileSize = fileSize;
        this.blockMap = new BlockMap(source, header.blocksOffset(), header.blocks());
    }

    static VdiImage open(BlockSource source) throws IOException {
        long fileSize = source.size();
        ByteBuffer first = source.read(0, (int) Math.min(VdiHeader.READ_SIZE, fileSize), ByteOrder.LITTLE_ENDIAN);
        VdiHeader header = VdiHeader.parse(first);
        header.validate(fileSize);
        return new VdiImage(source, header, fileSize);
    }

    VdiHeader header() {
        return header;
    }

    BlockMap blockMap() {
        return blockMap;
    }

    // ---- facts ----

    @Override
    public String format() {
        return "vdi";
    }

    @Override
    public String formatTitle() {
        return "VDI %d.%d (%s)".formatted(header.major(), header.minor(), typeName(header.type()));
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return header.virtualSize();
    }

    /** qemu-img reports the block size as the cluster size. */
    @Override
    public OptionalInt clusterSize() {
        return OptionalInt.of((int) header.blockSize());
    }

    /**
     * A differencing image names its parent only by UUID; VirtualBox finds it through its media registry. DiskLens
     * looks beside the image for {@code {UUID}.vdi}, the name VirtualBox gives the differencing images of snapshots
     * (whose parents are such images, up to the base disk). See {@code package-info.java}.
     */
    @Override
    public Optional<BackingReference> backing() {
        if (!header.hasParent() || VdiHeader.isNull(header.link())) {
            return Optional.empty();
        }
        return Optional.of(new BackingReference(parentFileName(header.link()), Optional.of("vdi")));
    }

    /** The file name VirtualBox gives the image whose UUID is {@code uuid} in a Snapshots folder. */
    static String parentFileName(UUID uuid) {
        return "{" + uuid + "}.vdi";
    }

    @Override
    public Optional<String> linkProblemWith(DiskImage backing) {
        if (!(backing instanceof VdiImage parent)) {
            return Optional.of("its parent is a %s image; a VDI differencing image links to a VDI by UUID (%s), "
                    .formatted(backing.format(), header.link()) + "which cannot be checked");
        }
        if (!parent.header.image().equals(header.link())) {
            return Optional.of("its link UUID %s is not its parent's image UUID %s: the parent is another disk"
                    .formatted(header.link(), parent.header.image()));
        }
        if (parent.virtualSize() != virtualSize()) {
            return Optional.of("its size (%d bytes) differs from its parent's (%d bytes)"
                    .formatted(virtualSize(), parent.virtualSize()));
        }
        return Optional.empty();
    }

    @Override
    public List<FeatureFlag> features() {
        List<FeatureFlag> flags = new ArrayList<>();
        flags.add(new FeatureFlag("image type", typeName(header.type()), FeatureFlag.Concern.NEUTRAL));
        flags.add(new FeatureFlag("version", header.major() + "." + header.minor(), FeatureFlag.Concern.NEUTRAL));
        if (header.blockExtra() != 0) {
            flags.add(new FeatureFlag("block extra data", header.blockExtra() + " bytes per block",
                    FeatureFlag.Concern.WARNING));
        }
        if (header.blockSize() != VdiHeader.DEFAULT_BLOCK_SIZE) {
            flags.add(new FeatureFlag("block size", header.blockSize() + " bytes (qemu reads only 1 MiB blocks)",
                    FeatureFlag.Concern.WARNING));
        }
        return flags;
    }

    static String typeName(int type) {
        return switch (type) {
            case VdiHeader.TYPE_DYNAMIC -> "dynamic";
            case VdiHeader.TYPE_STATIC -> "static";
            case VdiHeader.TYPE_UNDO -> "undo";
            case VdiHeader.TYPE_DIFFERENCING -> "differencing";
            default -> "type " + Integer.toUnsignedString(type);
        };
    }

    @Override
    public List<HeaderField> headerFields() {
        return VdiHeaderFields.of(header);
    }

    // ---- mapping ----

    private enum Kind { DATA, ZERO, FREE }

    /** A free block is the parent's in a differencing image; in a base image it reads as zeroes, as a zero block. */
    private Kind kindOf(long entry) {
        if (BlockMap.isAllocated(entry)) {
            return Kind.DATA;
        }
        return entry == BlockMap.FREE && header.hasParent() ? Kind.FREE : Kind.ZERO;
    }

    /**
     * Runs of blocks with equal state: data with contiguous host offsets, zero (discarded blocks, and blocks never
     * written in a base image, as qemu reports them), or unallocated (never written in a differencing image).
     */
    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        long blockSize = header.blockSize();
        long block = guestOffset / blockSize;
        long end = guestOffset + Math.min(maxLength, virtualSize() - guestOffset);
        long entry = blockMap.entry(block);
        Kind kind = kindOf(entry);
        long next = runEnd(block, entry, kind, Math.min(Math.ceilDiv(end, blockSize), block + MAX_SCAN_ENTRIES));
        long length = Math.min(next * blockSize, end) - guestOffset;
        return switch (kind) {
            case ZERO -> new Mapping.Zero(length);
            case FREE -> new Mapping.Unallocated(length);
            case DATA -> data(block, entry, guestOffset - block * blockSize, length);
        };
    }

    /**
     * The first block from {@code block + 1} on, before {@code limit}, that does not continue the run of
     * {@code block}: another state, or (for data) a data block that does not follow in the file.
     */
    private long runEnd(long block, long entry, Kind kind, long limit) throws IOException {
        boolean contiguous = header.blockExtra() == 0;
        long next = block + 1;
        while (next < limit) {
            int[] page = blockMap.page(next / BlockMap.PAGE_ENTRIES);
            for (int at = (int) (next % BlockMap.PAGE_ENTRIES); at < page.length && next < limit; at++, next++) {
                long nextEntry = Integer.toUnsignedLong(page[at]);
                if (kindOf(nextEntry) != kind
                        || kind == Kind.DATA && (!contiguous || nextEntry != entry + (next - block))) {
                    return next;
                }
            }
        }
        return next;
    }

    /** Block {@code block}'s data from {@code offsetInBlock} on, checked to lie inside the file. */
    private Mapping data(long block, long entry, long offsetInBlock, long length) throws CorruptImage {
        long hostOffset = blockHostOffset(entry) + offsetInBlock;
        long inFirstBlock = Math.min(length, header.blockSize() - offsetInBlock);
        if (hostOffset > fileSize - inFirstBlock) {
            throw new CorruptImage("vdi", "block map", header.blocksOffset() + block * 4,
                    "entry %d (data block %d at 0x%x) points past the end of the file (0x%x)"
                            .formatted(block, entry, blockHostOffset(entry), fileSize));
        }
        return new Mapping.Data(source, hostOffset, Math.min(length, fileSize - hostOffset));
    }

    /** Where data block {@code entry}'s guest bytes start: after the block's extra data, in slot {@code entry}. */
    long blockHostOffset(long entry) {
        return header.dataOffset() + entry * header.slotSize() + header.blockExtra();
    }

    long fileSize() {
        return fileSize;
    }

    /** Like qemu: a static image's blocks are looked into for holes in the file, which read as zeroes. */
    @Override
    public boolean recurseIntoHostAllocation(Mapping.Data data) {
        return header.type() == VdiHeader.TYPE_STATIC;
    }

    // ---- check and layout ----

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new VdiCheck(this).run(progress));
    }

    @Override
    public List<HostRegion> hostRegions() {
        return VdiHostLayout.REGIONS;
    }

    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        new VdiHostLayout(this).describe(sink, progress);
    }
}

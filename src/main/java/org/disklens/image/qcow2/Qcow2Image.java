package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.disklens.crypto.QemuLuksInfo;
import org.disklens.image.BackingReference;
import org.disklens.image.Bounds;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.image.Snapshot;
import org.disklens.io.BlockSource;

/**
 * A qcow2 image (versions 2 and 3): L1/L2 mapping with zero clusters, extended L2 entries and subclusters,
 * compressed clusters, external data files, snapshots, bitmaps and encryption (LUKS and legacy AES, decrypted with
 * the passphrase of {@link OpenContext#passphrases()}).
 * See {@code package-info.java} for the layout and the limits applied.
 */
public final class Qcow2Image implements DiskImage {
    static final long L1E_OFFSET_MASK = 0x00fffffffffffe00L;
    static final long L2E_OFFSET_MASK = 0x00fffffffffffe00L;
    static final long OFLAG_COPIED = 1L << 63;
    static final long OFLAG_COMPRESSED = 1L << 62;
    static final long OFLAG_ZERO = 1L;
    /** qemu's limit for an L1 table. */
    static final long MAX_L1_BYTES = 32L << 20;
    static final int SUBCLUSTERS = 32;

    private final BlockSource source;
    private final OpenContext context;
    private final Qcow2Header header;
    private final Qcow2Extensions extensions;
    private final Optional<String> backingName;
    private final LongBuffer l1Table;
    private final Qcow2SnapshotTable snapshotTable;
    private final List<Qcow2Bitmaps.Bitmap> bitmaps;
    private final Optional<QemuLuksInfo> luks;
    private final Optional<Qcow2Encryption> encryption;
    private final L2Cache l2Cache;
    private final L2Layout layout;
    private BlockSource dataFile;
    private Boolean metadataPreallocated;
    /** Damage read past (a refcount table that cannot be read where only a guess needed it). */
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

    private Qcow2Image(BlockSource source, OpenContext context, Qcow2Header header, Qcow2Extensions extensions,
                       Optional<String> backingName, LongBuffer l1Table, Qcow2SnapshotTable snapshotTable,
                       List<Qcow2Bitmaps.Bitmap> bitmaps, Optional<QemuLuksInfo> luks,
                       Optional<Qcow2Encryption> encryption) {
        this.source = source;
        this.context = context;
        this.header = header;
        this.extensions = extensions;
        this.backingName = backingName;
        this.l1Table = l1Table;
        this.snapshotTable = snapshotTable;
        this.bitmaps = bitmaps;
        this.luks = luks;
        this.encryption = encryption;
        this.layout = new L2Layout(header);
        this.l2Cache = new L2Cache(source, header.clusterSize());
    }

    static Qcow2Image open(BlockSource source, OpenContext context) throws IOException {
        long fileSize = source.size();
        if (fileSize < Qcow2Header.V2_HEADER_LENGTH) {
            throw new CorruptImage("qcow2", "header", 0, "file of %d bytes is too short for a header".formatted(fileSize));
        }
        ByteBuffer start = source.read(0, (int) Math.min(fileSize, Qcow2Header.V3_MIN_HEADER_LENGTH + 8), ByteOrder.BIG_ENDIAN);
        Qcow2Header header = Qcow2Header.parse(start);
        header.validate();
        int firstClusterLength = (int) Math.min(fileSize, header.clusterSize());
        if (firstClusterLength < header.length()) {
            throw new CorruptImage("qcow2", "header", 0, "file ends inside the header");
        }
        ByteBuffer firstCluster = source.read(0, firstClusterLength, ByteOrder.BIG_ENDIAN);
        int extensionsEnd = header.backingFileOffset() != 0
                ? (int) Math.min(header.backingFileOffset(), firstClusterLength) : firstClusterLength;
        Qcow2Extensions extensions = Qcow2Extensions.parse(firstCluster, header.length(), extensionsEnd);
        Optional<String> backingName = backingName(header, firstCluster);
        LongBuffer l1Table = readL1(source, header);
        Qcow2SnapshotTable snapshots = Qcow2SnapshotTable.read(source, header);
        List<Qcow2Bitmaps.Bitmap> bitmaps = extensions.bitmaps().isPresent() && header.bitmapsConsistent()
                ? Qcow2Bitmaps.read(source, extensions.bitmaps().get(), header.clusterSize()) : List.of();
        Optional<QemuLuksInfo> luks = readLuks(source, header, extensions);
        Optional<Qcow2Encryption> encryption = switch (header.cryptMethod()) {
            case Qcow2Header.CRYPT_LUKS -> Optional.of(Qcow2Encryption.luks(source,
                    extensions.cryptoHeader().orElseThrow().offset(), extensions.cryptoHeader().orElseThrow().length(),
                    context.passphrases()));
            case Qcow2Header.CRYPT_AES -> Optional.of(Qcow2Encryption.aes(source, context.passphrases()));
            default -> Optional.empty();
        };
        return new Qcow2Image(source, context, header, extensions, backingName, l1Table, snapshots, bitmaps, luks,
                encryption);
    }

    private static Optional<String> backingName(Qcow2Header header, ByteBuffer firstCluster) throws ImageException {
        if (header.backingFileOffset() == 0) {
            return Optional.empty();
        }
        int offset = (int) header.backingFileOffset();
        int length = header.backingFileSize();
        if (offset + length > firstCluster.limit()) {
            throw new CorruptImage("qcow2", "backing file name", offset, "runs past the end of the file");
        }
        byte[] name = new byte[length];
        firstCluster.get(offset, name);
        return Optional.of(new String(name, StandardCharsets.UTF_8));
    }

    /** The active L1 table, as a view on the bytes read (no copy: it can be 32 MiB). */
    private static LongBuffer readL1(BlockSource source, Qcow2Header header) throws IOException {
        long entries = header.l1Size();
        Bounds.checkTable("qcow2", "L1 table", header.l1TableOffset(), entries, 8, MAX_L1_BYTES, source.size());
        if (entries > 0) {
            Bounds.checkAligned("qcow2", "L1 table", header.l1TableOffset(), header.clusterSize());
        }
        L2Layout layout = new L2Layout(header);
        long needed = layout.l1EntriesFor(header.size());
        if (entries < needed) {
            throw new CorruptImage("qcow2", "L1 table", header.l1TableOffset(),
                    "%d entries cannot map a disk of %d bytes (%d needed)".formatted(entries, header.size(), needed));
        }
        return source.read(header.l1TableOffset(), (int) (entries * 8), ByteOrder.BIG_ENDIAN).asLongBuffer();
    }

    private static Optional<QemuLuksInfo> readLuks(BlockSource source, Qcow2Header header, Qcow2Extensions extensions)
            throws IOException {
        if (header.cryptMethod() != Qcow2Header.CRYPT_LUKS) {
            return Optional.empty();
        }
        Qcow2Extensions.CryptoHeader pointer = extensions.cryptoHeader().orElseThrow(() -> new CorruptImage(
                "qcow2", "header", 32, "LUKS encryption without a full-disk-encryption header pointer"));
        Bounds.checkTable("qcow2", "LUKS header", pointer.offset(), QemuLuksInfo.SIZE, 1, QemuLuksInfo.SIZE,
                source.size());
        return Optional.of(QemuLuksInfo.parse(source.read(pointer.offset(), QemuLuksInfo.SIZE, ByteOrder.BIG_ENDIAN),
                "qcow2", pointer.offset()));
    }

    // ---- facts ----

    @Override
    public String format() {
        return "qcow2";
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return header.size();
    }

    @Override
    public OptionalInt clusterSize() {
        return OptionalInt.of(header.clusterSize());
    }

    @Override
    public Optional<BackingReference> backing() {
        return backingName.map(name -> new BackingReference(name, extensions.backingFormat()));
    }

    @Override
    public List<Snapshot> snapshots() {
        return snapshotTable.entries().stream().map(Qcow2SnapshotTable.Entry::snapshot).toList();
    }

    @Override
    public boolean hasInternalSnapshots() {
        return true;
    }

    @Override
    public String formatTitle() {
        return "qcow2 (compat %s)".formatted(header.compat());
    }

    @Override
    public boolean hasDirtyFlag() {
        return true;
    }

    @Override
    public boolean dirty() {
        return header.dirty();
    }

    @Override
    public Optional<List<Bitmap>> bitmaps() {
        return Optional.of(bitmaps.stream().map(bitmap -> new Bitmap(bitmap.name(), bitmap.granularity(),
                bitmap.flagNames())).toList());
    }

    @Override
    public List<HeaderField> headerFields() {
        return Qcow2HeaderFields.of(header, extensions);
    }

    /** In the order qemu-img's format-specific information lists them. */
    @Override
    public List<FeatureFlag> features() {
        List<FeatureFlag> flags = new ArrayList<>();
        boolean v3 = header.version() >= 3;
        if (v3) {
            flags.add(header.corrupt() ? new FeatureFlag("corrupt", "yes", FeatureFlag.Concern.DANGER)
                    : new FeatureFlag("corrupt", "no", FeatureFlag.Concern.GOOD));
            flags.add(new FeatureFlag("lazy refcounts", header.lazyRefcounts() ? "on" : "off", FeatureFlag.Concern.NEUTRAL));
        }
        flags.add(new FeatureFlag("compression", header.compressionName(), FeatureFlag.Concern.NEUTRAL));
        flags.add(encrypted() ? new FeatureFlag("encryption", encryptionFormat(), FeatureFlag.Concern.WARNING)
                : new FeatureFlag("encryption", "none", FeatureFlag.Concern.NEUTRAL));
        if (v3) {
            flags.add(new FeatureFlag("extended L2", header.extendedL2() ? "on" : "off", FeatureFlag.Concern.NEUTRAL));
        }
        extensions.dataFile().ifPresent(name -> flags.add(new FeatureFlag("external data file", name,
                FeatureFlag.Concern.NEUTRAL)));
        flags.add(new FeatureFlag("refcount bits", Integer.toString(header.refcountBits()), FeatureFlag.Concern.NEUTRAL));
        return flags;
    }

    private String encryptionFormat() {
        return header.cryptMethod() == Qcow2Header.CRYPT_LUKS ? "luks" : "aes";
    }

    public Qcow2Header header() {
        return header;
    }

    public Qcow2Extensions extensions() {
        return extensions;
    }

    @Override
    public boolean encrypted() {
        return header.cryptMethod() != Qcow2Header.CRYPT_NONE;
    }

    @Override
    public Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("compat", header.compat());
        data.put("compression-type", header.compressionName());
        if (header.version() >= 3) {
            data.put("lazy-refcounts", header.lazyRefcounts());
        }
        if (!bitmaps.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Qcow2Bitmaps.Bitmap bitmap : bitmaps) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("name", bitmap.name());
                one.put("granularity", bitmap.granularity());
                one.put("flags", bitmap.flagNames());
                list.add(one);
            }
            data.put("bitmaps", list);
        }
        data.put("refcount-bits", header.refcountBits());
        if (header.cryptMethod() == Qcow2Header.CRYPT_AES) {
            data.put("encrypt", Map.of("format", "aes"));
        }
        luks.ifPresent(header -> data.put("encrypt", header.describe(true)));
        extensions.dataFile().ifPresent(name -> data.put("data-file", name));
        if (header.hasDataFile()) {
            data.put("data-file-raw", header.dataFileRaw());
        }
        if (header.version() >= 3) {
            data.put("corrupt", header.corrupt());
            data.put("extended-l2", header.extendedL2());
        }
        return data;
    }

    // ---- mapping ----

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        long limit = Math.min(maxLength, header.size() - guestOffset);
        int l1Index = (int) layout.l1Index(guestOffset);
        long l2Offset = l1Table.get(l1Index) & L1E_OFFSET_MASK;
        if (l2Offset == 0) {
            return new Mapping.Unallocated(unallocatedL1Run(guestOffset, limit));
        }
        long[] l2 = loadL2(l1Index, l2Offset);
        return mapInL2(l2, l2Offset, guestOffset, limit);
    }

    /** Bytes from {@code guestOffset} covered by consecutive L1 entries without an L2 table. */
    private long unallocatedL1Run(long guestOffset, long limit) {
        long end = guestOffset;
        int index = (int) layout.l1Index(guestOffset);
        while (end - guestOffset < limit && index < l1Table.limit() && (l1Table.get(index) & L1E_OFFSET_MASK) == 0) {
            index++;
            end = (long) index * layout.bytesPerL2();
        }
        return Math.min(end - guestOffset, limit);
    }

    private long[] loadL2(int l1Index, long l2Offset) throws IOException {
        if ((l2Offset & (header.clusterSize() - 1)) != 0) {
            throw new CorruptImage("qcow2", "L1 table", header.l1TableOffset(),
                    "entry %d: L2 table offset 0x%x is not cluster-aligned".formatted(l1Index, l2Offset));
        }
        if (l2Offset > source.size() - header.clusterSize()) {
            throw new CorruptImage("qcow2", "L1 table", header.l1TableOffset(),
                    "entry %d points past the end of the file (0x%x)".formatted(l1Index, l2Offset));
        }
        return l2Cache.get(l2Offset);
    }

    private Mapping mapInL2(long[] l2, long l2Offset, long guestOffset, long limit) throws IOException {
        long unit = layout.unitSize();
        long unitIndex = guestOffset / unit;
        long offsetInUnit = guestOffset % unit;
        long tableEnd = (layout.l1Index(guestOffset) + 1) * layout.bytesPerL2();
        long end = Math.min(guestOffset + limit, tableEnd);
        UnitState first = state(l2, l2Offset, unitIndex);
        if (first.kind() == Kind.COMPRESSED) {
            long clusterEnd = Math.min(end, ((guestOffset >>> header.clusterBits()) + 1) << header.clusterBits());
            return compressedMapping(first, guestOffset, clusterEnd - guestOffset);
        }
        long runEnd = (unitIndex + 1) * unit;
        while (runEnd < end) {
            UnitState next = state(l2, l2Offset, runEnd / unit);
            if (!first.continuedBy(next, (runEnd - unitIndex * unit))) {
                break;
            }
            runEnd += unit;
        }
        long length = Math.min(runEnd, end) - guestOffset;
        long hostOffset = first.hostOffset() + offsetInUnit;
        return switch (first.kind()) {
            case DATA -> encryption.isPresent() ? new Mapping.Encrypted(length, hostOffset,
                    dst -> encryption.get().read(dataSource(), guestOffset, hostOffset, dst))
                    : new Mapping.Data(dataSource(), hostOffset, length);
            case ZERO_ALLOCATED -> new Mapping.Zero(length, hostOffset);
            case ZERO -> new Mapping.Zero(length);
            case UNALLOCATED -> new Mapping.Unallocated(length);
            case UNALLOCATED_RESERVED -> new Mapping.Unallocated(length, hostOffset);
            case COMPRESSED -> throw new IllegalStateException("handled above");
        };
    }

    private Mapping compressedMapping(UnitState state, long guestOffset, long length) throws IOException {
        if (header.hasDataFile()) {
            throw new CorruptImage("qcow2", "L2 table", -1, "compressed cluster in an image with an external data file");
        }
        long entry = state.hostOffset();
        int csizeShift = 62 - (header.clusterBits() - 8);
        long offset = entry & ((1L << csizeShift) - 1);
        long sectors = ((entry >>> csizeShift) & ((1L << (header.clusterBits() - 8)) - 1)) + 1;
        int compressedLength = (int) (sectors * 512 - (offset & 511));
        if (offset >= source.size()) {
            throw new CorruptImage("qcow2", "compressed cluster", offset, "starts past the end of the file (0x%x)"
                    .formatted(source.size()));
        }
        var unit = new Qcow2CompressedCluster(source, offset, compressedLength, header.clusterSize(),
                header.compressionType());
        int offsetInCluster = (int) (guestOffset & (header.clusterSize() - 1));
        return new Mapping.Compressed(length, offset, offsetInCluster, unit);
    }

    /** UNALLOCATED_RESERVED: a subcluster not yet written in a cluster that has a host location. */
    enum Kind { DATA, ZERO, ZERO_ALLOCATED, UNALLOCATED, UNALLOCATED_RESERVED, COMPRESSED }

    /** One cluster's or subcluster's state; {@code hostOffset} is the unit's host offset (or the compressed entry). */
    record UnitState(Kind kind, long hostOffset) {
        boolean continuedBy(UnitState next, long distance) {
            if (next.kind != kind || kind == Kind.COMPRESSED) {
                return false;
            }
            return switch (kind) {
                case DATA, ZERO_ALLOCATED, UNALLOCATED_RESERVED -> next.hostOffset == hostOffset + distance;
                default -> true;
            };
        }
    }

    private UnitState state(long[] l2, long l2Offset, long unitIndex) throws ImageException {
        long clusterIndex = unitIndex >>> layout.subclusterBits();
        int entryIndex = (int) (clusterIndex & (layout.l2Entries() - 1));
        int subcluster = (int) (unitIndex & (layout.subclustersPerCluster() - 1));
        long entry = l2[entryIndex * layout.wordsPerEntry()];
        long bitmap = header.extendedL2() ? l2[entryIndex * 2 + 1] : 0;
        if ((entry & OFLAG_COMPRESSED) != 0) {
            if (bitmap != 0) {
                throw invalidEntry(l2Offset, entryIndex, "compressed cluster with a subcluster bitmap");
            }
            return new UnitState(Kind.COMPRESSED, entry & ~(OFLAG_COPIED | OFLAG_COMPRESSED));
        }
        long hostCluster = entry & L2E_OFFSET_MASK;
        boolean allocated = hostCluster != 0 || (header.hasDataFile() && (entry & OFLAG_COPIED) != 0);
        if (allocated && (hostCluster & (header.clusterSize() - 1)) != 0) {
            throw invalidEntry(l2Offset, entryIndex, "cluster offset 0x%x is not cluster-aligned".formatted(hostCluster));
        }
        if (!header.extendedL2()) {
            if ((entry & OFLAG_ZERO) != 0) {
                return allocated ? new UnitState(Kind.ZERO_ALLOCATED, hostCluster) : new UnitState(Kind.ZERO, 0);
            }
            return allocated ? new UnitState(Kind.DATA, hostCluster) : new UnitState(Kind.UNALLOCATED, 0);
        }
        long allocBits = bitmap & 0xffffffffL;
        long zeroBits = bitmap >>> 32;
        long subclusterHost = hostCluster + (long) subcluster * layout.unitSize();
        if (!allocated) {
            if (allocBits != 0) {
                throw invalidEntry(l2Offset, entryIndex, "unallocated cluster with allocated subclusters");
            }
            return (zeroBits & (1L << subcluster)) != 0 ? new UnitState(Kind.ZERO, 0) : new UnitState(Kind.UNALLOCATED, 0);
        }
        if ((allocBits & zeroBits) != 0) {
            throw invalidEntry(l2Offset, entryIndex, "subclusters marked both allocated and zero");
        }
        if ((zeroBits & (1L << subcluster)) != 0) {
            return new UnitState(Kind.ZERO_ALLOCATED, subclusterHost);
        }
        return (allocBits & (1L << subcluster)) != 0 ? new UnitState(Kind.DATA, subclusterHost)
                : new UnitState(Kind.UNALLOCATED_RESERVED, subclusterHost);
    }

    private ImageException invalidEntry(long l2Offset, int entryIndex, String problem) {
        return new CorruptImage("qcow2", "L2 table", l2Offset, "entry %d: %s".formatted(entryIndex, problem));
    }

    /** Where guest clusters are stored: the image itself, or its external data file. */
    synchronized BlockSource dataSource() throws IOException {
        if (!header.hasDataFile()) {
            return source;
        }
        if (dataFile == null) {
            String name = extensions.dataFile().orElseThrow(() -> new CorruptImage("qcow2", "header", 72,
                    "the external data file bit is set but no data file is named"));
            dataFile = context.openReference(name, "data file");
        }
        return dataFile;
    }

    /**
     * qemu looks below a data cluster into the host file's holes only when the image seems preallocated with
     * metadata (more refcounted clusters than the file really holds); DiskLens follows it so {@code map} agrees.
     */
    @Override
    public synchronized boolean recurseIntoHostAllocation(Mapping.Data data) throws IOException {
        if (metadataPreallocated == null) {
            metadataPreallocated = detectMetadataPreallocation();
        }
        return metadataPreallocated;
    }

    /**
     * Only a guess for {@code map}'s sake, so a refcount table that cannot be read does not stop the verbs that need
     * no refcounts: the guess is "not preallocated" and the damage a warning ({@code check} reports it as an error).
     */
    private boolean detectMetadataPreallocation() throws IOException {
        long realClusters = source.allocatedBytes() / header.clusterSize();
        long threshold = Math.max(realClusters * 10 / 9, realClusters + 2);
        long endCluster = (source.size() + header.clusterSize() - 1) >>> header.clusterBits();
        long counted = 0;
        try {
            Qcow2Refcounts refcounts = Qcow2Refcounts.read(source, header);
            for (long cluster = 0; cluster < endCluster && counted <= threshold; cluster++) {
                counted += refcounts.get(cluster) != 0 ? 1 : 0;
            }
        } catch (ImageException unreadable) {
            warnings.add(unreadable.getMessage() + " (read past: only check needs the refcounts)");
            return false;
        }
        return counted > threshold;
    }

    @Override
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    // ---- snapshots ----

    /**
     * A read-only view of the guest disk as internal snapshot {@code index} (of {@link #snapshots()}) saw it: the
     * snapshot's L1 table and disk size, read and validated like the active ones. What {@code qemu-img convert -l}
     * reads. The view shares this image's file and takes over closing it: close the view, not this image.
     */
    @Override
    public Qcow2Image snapshotView(int index) throws IOException {
        Qcow2SnapshotTable.Entry entry = snapshotTable.entries().get(index);
        long diskSize = entry.snapshot().virtualSize();
        if (diskSize < 0) {
            throw new CorruptImage("qcow2", "snapshot %s".formatted(entry.snapshot().id()), entry.hostOffset(),
                    "invalid disk size %s".formatted(Long.toUnsignedString(diskSize)));
        }
        Qcow2Header view = header.withActiveL1(diskSize, entry.l1TableOffset(), entry.l1Size());
        return new Qcow2Image(source, context, view, extensions, backingName, readL1(source, view), snapshotTable,
                bitmaps, luks, encryption);
    }

    // ---- check ----

    @Override
    public String checkDescription() {
        return "Recounts every cluster's references (tables, data, snapshots, bitmaps) and compares them with the "
                + "image's refcounts, as qemu-img check does.";
    }

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new Qcow2Check(this, progress).run());
    }

    @Override
    public List<HostRegion> hostRegions() {
        return Qcow2Regions.ALL;
    }

    /**
     * Header, tables, data, snapshots, leaked and free clusters ({@link Qcow2HostWalk}). Lenient: entries that point
     * outside the file are skipped, not reported as errors ({@link #check} does that).
     */
    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        new Qcow2HostWalk(this, sink, progress).run();
    }

    /** A copy of the active L1 table. */
    long[] l1Table() {
        long[] copy = new long[l1Table.limit()];
        l1Table.get(0, copy);
        return copy;
    }

    L2Layout layout() {
        return layout;
    }

    Qcow2SnapshotTable snapshotTable() {
        return snapshotTable;
    }

    List<Qcow2Bitmaps.Bitmap> bitmapEntries() {
        return bitmaps;
    }

    /** Gets the key of an encrypted image now (one line when there is no passphrase, or a wrong one). */
    @Override
    public void unlock() throws IOException {
        if (encryption.isPresent()) {
            encryption.get().cipher();
        }
    }

    @Override
    public void close() throws IOException {
        encryption.ifPresent(Qcow2Encryption::close);
        try {
            source.close();
        } finally {
            synchronized (this) {
                if (dataFile != null) {
                    dataFile.close();
                }
            }
        }
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.disklens.image.BackingReference;
import org.disklens.image.CheckReport;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.HeaderField;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A VMDK: one or more extents (flat, sparse, zero) laid end to end, described by a text descriptor that is
 * either its own file or embedded in a sparse extent. See {@code package-info.java}.
 */
public final class VmdkImage implements DiskImage {
    private static final Set<String> READABLE_CREATE_TYPES = Set.of("monolithicSparse", "monolithicFlat",
            "twoGbMaxExtentSparse", "twoGbMaxExtentFlat", "streamOptimized", "vmfs", "vmfsThin", "vmfsSparse",
            "vmfsPreallocated", "vmfsEagerZeroedThick");

    private final BlockSource source;
    private final VmdkDescriptor descriptor;
    private final List<Extent> extents;
    private final long[] extentStarts;
    private final long virtualSize;
    private final boolean uncleanShutdown;
    private final List<BlockSource> referencedFiles;
    /** A hosted sparse file's header (a stream's footer), for the header sheet and the File layout; else null. */
    private SparseHeader hostedHeader;
    private boolean headerFromFooter;
    private long headerOffset;

    private VmdkImage(BlockSource source, VmdkDescriptor descriptor, List<Extent> extents, boolean uncleanShutdown,
                      List<BlockSource> referencedFiles) throws ImageException {
        this.source = source;
        this.descriptor = descriptor;
        this.extents = List.copyOf(extents);
        this.uncleanShutdown = uncleanShutdown;
        this.referencedFiles = List.copyOf(referencedFiles);
        this.extentStarts = new long[extents.size()];
        long total = 0;
        for (int i = 0; i < extents.size(); i++) {
            extentStarts[i] = total;
            try {
                total = Math.addExact(total, extents.get(i).length());
            } catch (ArithmeticException overflow) {
                throw new LimitExceeded("vmdk", "descriptor", -1, "the extents add up to more than 2^63 bytes");
            }
        }
        if (extents.isEmpty()) {
            throw new CorruptImage("vmdk", "descriptor", -1, "no extents");
        }
        this.virtualSize = total;
    }

    static VmdkImage open(BlockSource source, OpenContext context) throws IOException {
        ByteBuffer start = source.read(0, (int) Math.min(512, source.size()), ByteOrder.LITTLE_ENDIAN);
        if (start.remaining() >= 4 && start.getInt(0) == SparseHeader.MAGIC) {
            return openHostedSparse(source);
        }
        if (SparseExtent.isCowd(start)) {
            if (source.size() < 512) {
                throw new CorruptImage("vmdk", "COWD header", 0, "the file ends inside the header");
            }
            SparseExtent extent = SparseExtent.cowd(source, source.name(), "", cowdCapacity(source), new GrainTableCache());
            return new VmdkImage(source, emptyDescriptor("vmfsSparse"), List.of(extent), false, List.of());
        }
        return openDescriptorFile(source, context);
    }

    private static long cowdCapacity(BlockSource source) throws IOException {
        return Integer.toUnsignedLong(source.read(12, 4, ByteOrder.LITTLE_ENDIAN).getInt(0)) * 512;
    }

    /** monolithicSparse, streamOptimized: the file is its own single extent; its descriptor is embedded. */
    private static VmdkImage openHostedSparse(BlockSource source) throws IOException {
        if (source.size() < 512) {
            throw new CorruptImage("vmdk", "sparse extent header", 0, "the file ends inside the header");
        }
        SparseHeader header = SparseHeader.parse(source.read(0, 512, ByteOrder.LITTLE_ENDIAN), 0);
        boolean fromFooter = header.gdAtEnd();
        if (fromFooter) {
            header = footer(source);
        }
        VmdkDescriptor descriptor = embeddedDescriptor(source, header);
        String createType = descriptor.createType().isEmpty()
                ? (header.compressed() ? "streamOptimized" : "monolithicSparse") : descriptor.createType();
        SparseExtent extent = SparseExtent.hosted(source, source.name(), "", header, header.capacity() << 9,
                new GrainTableCache());
        VmdkImage image = new VmdkImage(source, withCreateType(descriptor, createType), List.of(extent),
                header.uncleanShutdown(), List.of());
        image.hostedHeader = header;
        image.headerFromFooter = fromFooter;
        image.headerOffset = fromFooter ? source.size() - 1024 : 0;
        return image;
    }

    /** streamOptimized: the header with the real grain directory offset is the footer before the end-of-stream marker. */
    private static SparseHeader footer(BlockSource source) throws IOException {
        long size = source.size();
        if (size < 1536) {
            throw new CorruptImage("vmdk", "footer", -1, "the file is too short for a streamOptimized footer");
        }
        ByteBuffer marker = source.read(size - 1536, 16, ByteOrder.LITTLE_ENDIAN);
        if (marker.getInt(8) != 0 || marker.getInt(12) != 3) {
            throw new CorruptImage("vmdk", "footer marker", size - 1536, "missing (the stream may be truncated)");
        }
        SparseHeader footer = SparseHeader.parse(source.read(size - 1024, 512, ByteOrder.LITTLE_ENDIAN), size - 1024);
        if (footer.gdAtEnd()) {
            throw new CorruptImage("vmdk", "footer", size - 1024, "the footer does not say where the grain directory is");
        }
        return footer;
    }

    private static VmdkDescriptor embeddedDescriptor(BlockSource source, SparseHeader header) throws IOException {
        if (header.descriptorOffset() <= 0 || header.descriptorSize() <= 0) {
            return emptyDescriptor("");
        }
        long offset = header.descriptorOffset() << 9;
        long length = header.descriptorSize() << 9;
        if (header.descriptorSize() > VmdkDescriptor.MAX_SIZE >> 9) {
            throw new LimitExceeded("vmdk", "descriptor", offset, "%d bytes exceed the limit of 1 MiB".formatted(length));
        }
        if (header.descriptorOffset() > (source.size() >> 9) || offset + length > source.size()) {
            throw new CorruptImage("vmdk", "descriptor", offset, "runs past the end of the file (0x%x)".formatted(source.size()));
        }
        byte[] bytes = new byte[(int) length];
        source.read(offset, ByteBuffer.wrap(bytes));
        return VmdkDescriptor.decode(bytes, bytes.length, offset);
    }

    private static VmdkImage openDescriptorFile(BlockSource source, OpenContext context) throws IOException {
        if (source.size() > VmdkDescriptor.MAX_SIZE) {
            throw new LimitExceeded("vmdk", "descriptor", 0, "a descriptor file of %d bytes exceeds 1 MiB".formatted(source.size()));
        }
        byte[] bytes = new byte[(int) source.size()];
        source.read(0, ByteBuffer.wrap(bytes));
        checkNoBinaryAfterText(bytes);
        VmdkDescriptor descriptor = VmdkDescriptor.decode(bytes, bytes.length, 0);
        String createType = descriptor.createType();
        if (!READABLE_CREATE_TYPES.contains(createType)) {
            throw new UnsupportedFeature("vmdk", "descriptor", 0, "createType '%s' is not supported".formatted(createType));
        }
        ExtentFiles files = new ExtentFiles(context);
        try {
            List<Extent> extents = new ArrayList<>();
            long directoryBytes = 0;
            for (VmdkDescriptor.ExtentLine line : descriptor.extents()) {
                Extent extent = extent(line, files);
                extents.add(extent);
                directoryBytes += extent instanceof SparseExtent sparse ? sparse.grainDirectory().capacity() * 4L : 0;
                if (directoryBytes > SparseExtent.MAX_GD_BYTES) {
                    throw new LimitExceeded("vmdk", "descriptor", 0, "the extents' grain directories take more than %d MiB"
                            .formatted(SparseExtent.MAX_GD_BYTES >> 20));
                }
            }
            return new VmdkImage(source, descriptor, extents, false, files.opened());
        } catch (IOException | RuntimeException failure) {
            files.close();
            throw failure;
        }
    }

    /**
     * The files a descriptor's extents name, each opened once however many lines name it, and only as they are read
     * (the context hands out lazily opened, pooled sources), with the disk's one grain-table cache.
     */
    private static final class ExtentFiles {
        private final OpenContext context;
        private final Map<String, BlockSource> byName = new LinkedHashMap<>();
        private final GrainTableCache grainTables = new GrainTableCache();

        ExtentFiles(OpenContext context) {
            this.context = context;
        }

        BlockSource open(String name) throws IOException {
            BlockSource file = byName.get(name);
            if (file == null) {
                file = context.openReference(name, "extent");
                byName.put(name, file);
            }
            return file;
        }

        /** The distinct sources opened (two names may lead to one file: the context shares it). */
        List<BlockSource> opened() {
            return List.copyOf(new LinkedHashSet<>(byName.values()));
        }

        void close() throws IOException {
            for (BlockSource file : opened()) {
                file.close();
            }
        }
    }

    /** Tools pad a descriptor with NULs, nothing else: text after a NUL is binary data, not a descriptor's. */
    private static void checkNoBinaryAfterText(byte[] bytes) throws CorruptImage {
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        for (int at = nul; at < bytes.length; at++) {
            if (bytes[at] != 0) {
                throw new CorruptImage("vmdk", "descriptor", nul,
                        "a NUL byte inside the text, with more at 0x%x: binary data, not a descriptor".formatted(at));
            }
        }
    }

    private static Extent extent(VmdkDescriptor.ExtentLine line, ExtentFiles files) throws IOException {
        long length = sectorsToBytes(line.sectors());
        if (line.type().equals("ZERO")) {
            return new ZeroExtent(length);
        }
        if (!VmdkDescriptor.FLAT_TYPES.contains(line.type()) && !line.type().equals("SPARSE") && !line.type().equals("VMFSSPARSE")) {
            throw new UnsupportedFeature("vmdk", "descriptor", -1, "extent type %s is not supported".formatted(line.type()));
        }
        String name = line.fileName().orElseThrow(() -> new CorruptImage("vmdk", "descriptor", -1,
                "%s extent without a file name".formatted(line.type())));
        BlockSource file = files.open(name);
        if (VmdkDescriptor.FLAT_TYPES.contains(line.type())) {
            return new FlatExtent(file, name, line.type(), sectorsToBytes(line.offsetSectors()), length);
        }
        if (file.size() < 512) {
            throw new CorruptImage("vmdk", "extent " + name, 0, "the file is too short for a sparse extent header");
        }
        ByteBuffer start = file.read(0, 512, ByteOrder.LITTLE_ENDIAN);
        if (SparseExtent.isCowd(start)) {
            return SparseExtent.cowd(file, name, line.type(), length, files.grainTables);
        }
        SparseHeader header = SparseHeader.parse(start, 0);
        if (header.gdAtEnd()) {
            header = footer(file);
        }
        return SparseExtent.hosted(file, name, line.type(), header, length, files.grainTables);
    }

    private static long sectorsToBytes(long sectors) throws LimitExceeded {
        if (sectors < 0 || sectors > (Long.MAX_VALUE >> 9)) {
            throw new LimitExceeded("vmdk", "descriptor", -1, "extent of %d sectors is too large".formatted(sectors));
        }
        return sectors << 9;
    }

    private static VmdkDescriptor emptyDescriptor(String createType) {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("createType", createType);
        return new VmdkDescriptor(header, List.of(), Map.of());
    }

    private static VmdkDescriptor withCreateType(VmdkDescriptor descriptor, String createType) {
        Map<String, String> header = new LinkedHashMap<>(descriptor.header());
        header.put("createType", createType);
        return new VmdkDescriptor(header, descriptor.extents(), descriptor.database());
    }

    // ---- facts ----

    @Override
    public String format() {
        return "vmdk";
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    public VmdkDescriptor descriptor() {
        return descriptor;
    }

    /** qemu-img reports the first extent's grain size, unless that extent is flat. */
    @Override
    public OptionalInt clusterSize() {
        return extents.getFirst() instanceof SparseExtent sparse ? OptionalInt.of((int) sparse.grainBytes()) : OptionalInt.empty();
    }

    @Override
    public Optional<BackingReference> backing() {
        if (descriptor.parentCid() == VmdkDescriptor.NO_PARENT) {
            return Optional.empty();
        }
        return descriptor.parentFileNameHint().map(name -> new BackingReference(name, Optional.of("vmdk")));
    }

    @Override
    public Optional<String> linkProblemWith(DiskImage backing) {
        if (backing instanceof VmdkImage parent && parent.descriptor.cid() != descriptor.parentCid()) {
            return Optional.of("parentCID %08x does not match its parent's CID %08x: the chain is inconsistent"
                    .formatted(descriptor.parentCid(), parent.descriptor.cid()));
        }
        return Optional.empty();
    }

    @Override
    public boolean hasDirtyFlag() {
        return true;
    }

    /** The sparse header's unclean-shutdown flag: VMware sets it while the disk is open. */
    @Override
    public boolean dirty() {
        return uncleanShutdown;
    }

    /** Extent file names are shown through {@code shownReference}, as qemu-img combines them with the image's name. */
    @Override
    public Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("create-type", descriptor.createType());
        data.put("cid", descriptor.cid());
        data.put("parent-cid", descriptor.parentCid());
        data.put("extents", extents.stream().map(extent -> extent.info(shownReference)).toList());
        return data;
    }

    /** The descriptor's file and every extent file, each counted once, as qemu-img's actual-size. */
    @Override
    public long allocatedBytes() throws IOException {
        long total = source.allocatedBytes();
        for (BlockSource file : referencedFiles) {
            total += file.allocatedBytes();
        }
        return total;
    }

    // ---- mapping ----

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        int index = extentAt(guestOffset);
        Extent extent = extents.get(index);
        long offsetInExtent = guestOffset - extentStarts[index];
        return extent.map(offsetInExtent, Math.min(maxLength, extent.length() - offsetInExtent));
    }

    private int extentAt(long guestOffset) {
        int low = 0;
        int high = extents.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (extentStarts[middle] <= guestOffset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** Like qemu-img: below a flat extent's data, look into the extent file's holes. */
    @Override
    public boolean recurseIntoHostAllocation(Mapping.Data data) {
        return extents.stream().anyMatch(extent -> extent.flat() && extent.source() == data.source());
    }

    List<Extent> extents() {
        return extents;
    }

    /** The sparse header (or a stream's footer) as stored, then every line of the descriptor. */
    @Override
    public List<HeaderField> headerFields() {
        return VmdkHeaderFields.of(hostedHeader, headerFromFooter, headerOffset, descriptor);
    }

    @Override
    public List<HostRegion> hostRegions() {
        return VmdkHostWalk.ALL;
    }

    /** Header, descriptor, grain directories and tables, grains, padding and holes ({@link VmdkHostWalk}). */
    @Override
    public void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        VmdkHostWalk walk = new VmdkHostWalk(source, progress);
        if (hostedHeader != null && extents.getFirst() instanceof SparseExtent extent) {
            walk.hostedSparse(hostedHeader, extent, sink);
        } else if (extents.stream().anyMatch(extent -> extent.source() == source)) {
            DiskImage.super.describeHost(sink, progress);
        } else {
            walk.descriptorFile(sink);
        }
    }

    @Override
    public String checkDescription() {
        return "Walks the grain directories and grain tables of the sparse extents: every table and grain must lie "
                + "inside its file, tables must not overlap, and a redundant directory must agree with the first.";
    }

    @Override
    public Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.of(new VmdkCheck(this, progress).run());
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (BlockSource file : referencedFiles) {
            try {
                file.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        source.close();
        if (first != null) {
            throw first;
        }
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.Preallocation;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A VMDK target: qemu-img's vmdk creation options, checked. See {@code VmdkDescriptor} for the descriptor
 * keys written and why.
 *
 * @param hwVersion    {@code ddb.virtualHWVersion}: {@code hwversion}, or 6 with {@code compat6}, else 4 as qemu writes
 * @param toolsVersion {@code ddb.toolsVersion}: {@code toolsversion}, else 2147483647 ("any"), as qemu and VMware's
 *                     own open-vmdk write
 * @param zeroedGrain  sparse extents of version 2 whose zero grains are marked as such (grain table entry 1)
 */
public record VmdkConfig(Subformat subformat, String adapterType, int hwVersion, String toolsVersion,
                         boolean zeroedGrain, Preallocation preallocation, long sparseSize) implements TargetConfig {

    /** The VMDK layouts DiskLens writes, named as in the descriptor's {@code createType}. */
    public enum Subformat {
        MONOLITHIC_SPARSE("monolithicSparse", true, false),
        MONOLITHIC_FLAT("monolithicFlat", false, false),
        TWO_GB_MAX_EXTENT_SPARSE("twoGbMaxExtentSparse", true, true),
        TWO_GB_MAX_EXTENT_FLAT("twoGbMaxExtentFlat", false, true),
        STREAM_OPTIMIZED("streamOptimized", true, false);

        private final String createType;
        private final boolean sparse;
        private final boolean split;

        Subformat(String createType, boolean sparse, boolean split) {
            this.createType = createType;
            this.sparse = sparse;
            this.split = split;
        }

        public String createType() {
            return createType;
        }

        /** Grains allocated on demand (a grain directory and tables), rather than a raw extent. */
        public boolean sparse() {
            return sparse;
        }

        /** Extents of at most 2 GB, in files beside a separate descriptor file. */
        public boolean split() {
            return split;
        }

        /** Whether the descriptor is a file of its own (every subformat but the monolithic sparse ones). */
        public boolean separateDescriptor() {
            return this != MONOLITHIC_SPARSE && this != STREAM_OPTIMIZED;
        }

        static List<String> names() {
            return java.util.Arrays.stream(values()).map(Subformat::createType).toList();
        }

        static Subformat named(String name) {
            for (Subformat subformat : values()) {
                if (subformat.createType.equals(name)) {
                    return subformat;
                }
            }
            throw new IllegalArgumentException(name);
        }
    }

    public static final List<String> ADAPTER_TYPES = List.of("ide", "lsilogic", "buslogic", "legacyESX");
    static final String DEFAULT_TOOLS_VERSION = "2147483647";

    static VmdkConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
        OptionValues options = new OptionValues("vmdk", spec.options());
        Subformat subformat = options.choice("subformat", Subformat.names()).map(Subformat::named)
                .orElse(Subformat.MONOLITHIC_SPARSE);
        String adapterType = options.choice("adapter_type", ADAPTER_TYPES).orElse("ide");
        boolean compat6 = options.bool("compat6").orElse(false);
        Long hwVersion = options.number("hwversion").orElse(null);
        String toolsVersion = options.number("toolsversion").map(String::valueOf).orElse(DEFAULT_TOOLS_VERSION);
        boolean zeroedGrain = options.bool("zeroed_grain").orElse(false);
        Preallocation preallocation = options.choice("preallocation",
                        Preallocation.names(Preallocation.OFF, Preallocation.FALLOC, Preallocation.FULL))
                .map(Preallocation::named).orElse(Preallocation.OFF);
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();

        if (compat6 && hwVersion != null) {
            throw new InvalidRequest("compat6 cannot be enabled with hwversion set");
        }
        if (hwVersion != null && (hwVersion < 1 || hwVersion > 255)) {
            throw new InvalidRequest("Parameter 'hwversion' expects a virtual hardware version from 1 to 255");
        }
        if (spec.compress() && subformat != Subformat.STREAM_OPTIMIZED) {
            throw new InvalidRequest("Compression is only supported by the VMDK subformat streamOptimized "
                    + "(whose grains are always compressed)");
        }
        if (zeroedGrain && (!subformat.sparse() || subformat == Subformat.STREAM_OPTIMIZED)) {
            throw new InvalidRequest("zeroed_grain is only supported by the sparse subformats monolithicSparse and "
                    + "twoGbMaxExtentSparse");
        }
        if (preallocation != Preallocation.OFF && subformat.sparse()) {
            throw new InvalidRequest("preallocation=%s is only supported by the flat subformats monolithicFlat and "
                    .formatted(preallocation.qemuName()) + "twoGbMaxExtentFlat");
        }
        int hardware = hwVersion != null ? hwVersion.intValue() : compat6 ? 6 : 4;
        return new VmdkConfig(subformat, adapterType, hardware, toolsVersion, zeroedGrain, preallocation,
                spec.sparseSize());
    }

    @Override
    public String format() {
        return "vmdk";
    }

    /** VMDK capacities are whole sectors. */
    @Override
    public long targetSize(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, 512);
    }

    @Override
    public List<Path> files(Path target, long size) {
        return VmdkLayout.of(this, target, size).files();
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        if (size == 0 && subformat.sparse()) {
            throw new InvalidRequest("an empty disk cannot be a sparse VMDK (qemu and VMware open no such extent); use "
                    + "subformat=monolithicFlat");
        }
        VmdkLayout layout = VmdkLayout.of(this, target, size);
        return switch (subformat) {
            case STREAM_OPTIMIZED -> new VmdkStreamWriter(layout, files, size);
            case MONOLITHIC_SPARSE, TWO_GB_MAX_EXTENT_SPARSE -> new VmdkSparseWriter(layout, files, size);
            case MONOLITHIC_FLAT, TWO_GB_MAX_EXTENT_FLAT -> new VmdkFlatWriter(layout, files, size);
        };
    }

    /**
     * qemu-img cannot measure VMDK; DiskLens answers the layout its writers produce: the header region (header,
     * descriptor, both grain directories and all grain tables, rounded to a grain) plus the grains the data touches
     * for sparse subformats; the disk's size for flat ones (plus 1 KiB for the descriptor file); for streamOptimized
     * an upper bound: every touched grain as if incompressible (a 64 KiB grain and one sector of marker and zlib
     * framing), a marker and table per grain table, the directory, footer and end marker.
     */
    @Override
    public SizeEstimate estimate(MeasureSource source) throws IOException {
        long size = targetSize(source.size());
        long touchedGrains = source.touchedUnits(VmdkSparseWriter.GRAIN_SIZE);
        long allGrains = Math.ceilDiv(size, VmdkSparseWriter.GRAIN_SIZE);
        long descriptorFile = subformat.separateDescriptor() ? DESCRIPTOR_FILE_BYTES : 0;
        return switch (subformat) {
            case MONOLITHIC_FLAT, TWO_GB_MAX_EXTENT_FLAT -> new SizeEstimate(size + descriptorFile,
                    size + descriptorFile, OptionalLong.empty());
            case MONOLITHIC_SPARSE, TWO_GB_MAX_EXTENT_SPARSE -> {
                long overhead = descriptorFile;
                for (VmdkLayout.Extent extent : VmdkLayout.of(this, Path.of("measure.vmdk"), size).extents()) {
                    overhead += sparseOverheadSectors(extent.sectors(), !subformat.separateDescriptor()) * SECTOR;
                }
                yield new SizeEstimate(overhead + touchedGrains * VmdkSparseWriter.GRAIN_SIZE,
                        overhead + allGrains * VmdkSparseWriter.GRAIN_SIZE, OptionalLong.empty());
            }
            case STREAM_OPTIMIZED -> new SizeEstimate(streamBound(size, touchedGrains), streamBound(size, allGrains),
                    OptionalLong.empty());
        };
    }

    static final int SECTOR = 512;
    /** What a separate descriptor file takes, for {@code measure}: its text, rounded up generously. */
    static final long DESCRIPTOR_FILE_BYTES = 1024;

    /** Header, embedded descriptor, two directories and two sets of tables, rounded up to a grain. */
    static long sparseOverheadSectors(long sectors, boolean embeddedDescriptor) {
        long grains = Math.ceilDiv(sectors, VmdkSparseWriter.GRAIN_SECTORS);
        long tables = Math.max(1, Math.ceilDiv(grains, VmdkSparseWriter.GTES_PER_GT));
        long directorySectors = Math.ceilDiv(tables * 4, SECTOR);
        long end = 1 + (embeddedDescriptor ? VmdkDescriptor.EMBEDDED_SECTORS : 0)
                + 2 * (directorySectors + tables * VmdkSparseWriter.GT_SECTORS);
        return TargetConfig.roundUp(end, VmdkSparseWriter.GRAIN_SECTORS);
    }

    private static long streamBound(long size, long grains) {
        long allTables = Math.max(1, Math.ceilDiv(Math.ceilDiv(size, VmdkSparseWriter.GRAIN_SIZE),
                VmdkSparseWriter.GTES_PER_GT));
        long tables = Math.min(allTables, grains);
        long directorySectors = Math.ceilDiv(allTables * 4, SECTOR);
        long sectors = VmdkStreamWriter.OVERHEAD_SECTORS + grains * (VmdkSparseWriter.GRAIN_SECTORS + 1)
                + tables * (1 + VmdkSparseWriter.GT_SECTORS) + 1 + directorySectors + 3;
        return sectors * SECTOR;
    }
}

package org.disklens.convert;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.disklens.image.ProgressListener;
import org.disklens.image.qcow2.Qcow2Image;

/**
 * {@code qemu-img measure}: how large a conversion's result would be, before converting.
 * <ul>
 *   <li>raw: {@code required} = {@code fully-allocated} = the disk's size (qemu's {@code raw_measure}).</li>
 *   <li>qcow2: qemu's {@code qcow2_measure}: the metadata of a fully allocated image of this cluster size,
 *       refcount width and L2 entry size ({@code qcow2_calc_prealloc_size}, refcount metadata by fixed point), plus
 *       the clusters the source's data touches (every cluster with a backing file, or with
 *       {@code preallocation=falloc|full}); for a qcow2 source and a version 3 target, the space its persistent
 *       bitmaps would take.</li>
 *   <li>vmdk: qemu-img cannot measure VMDK; DiskLens computes the layout its writers produce: the header region
 *       (header, descriptor, both grain directories and all grain tables, rounded to a grain) plus the grains the data
 *       touches for sparse subformats; the disk's size for flat ones (plus 1 KiB for the descriptor file); for
 *       streamOptimized an upper bound: every touched grain as if incompressible (a 64 KiB grain and one sector of
 *       marker and zlib framing), a marker and table per grain table, the directory, footer and end marker.</li>
 * </ul>
 */
public final class Measure {
    static final int SECTOR = 512;
    static final long DESCRIPTOR_FILE_BYTES = 1024;

    private Measure() {
    }

    /** The sizes for converting {@code source} to {@code target}. */
    public static SizeEstimate estimate(SourceSpec source, TargetSpec target) throws IOException {
        return estimate(source, target, ProgressListener.NONE);
    }

    /**
     * The sizes for converting {@code source} to {@code target}, reporting the guest bytes walked so far and
     * stopping (with {@link java.util.concurrent.CancellationException}) when {@code progress} is cancelled.
     */
    public static SizeEstimate estimate(SourceSpec source, TargetSpec target, ProgressListener progress)
            throws IOException {
        TargetConfig config = TargetConfig.of(target);
        try (SourceImage image = SourceImage.open(source)) {
            long size = image.size();
            return switch (config) {
                case RawConfig raw -> {
                    long sectors = TargetConfig.roundUp(size, SECTOR);
                    yield new SizeEstimate(sectors, sectors, OptionalLong.empty());
                }
                case Qcow2Config qcow2 -> {
                    qcow2.checkSize(size);
                    yield qcow2(qcow2, size, touchedUnits(image, qcow2.clusterSize(), progress), bitmaps(image, qcow2));
                }
                case VmdkConfig vmdk -> vmdk(vmdk, config.targetSize(size),
                        touchedUnits(image, VmdkSparseWriter.GRAIN_SIZE, progress));
            };
        }
    }

    /** The sizes for a new, empty image of {@code virtualSize} bytes ({@code qemu-img measure --size}). */
    public static SizeEstimate estimate(long virtualSize, TargetSpec target) throws InvalidRequest {
        TargetConfig config = TargetConfig.of(target);
        return switch (config) {
            case RawConfig raw -> {
                long size = TargetConfig.roundUp(virtualSize, SECTOR);
                yield new SizeEstimate(size, size, OptionalLong.empty());
            }
            case Qcow2Config qcow2 -> {
                qcow2.checkSize(virtualSize);
                yield qcow2(qcow2, virtualSize, 0, OptionalLong.empty());
            }
            case VmdkConfig vmdk -> vmdk(vmdk, config.targetSize(virtualSize), 0);
        };
    }

    private static SizeEstimate qcow2(Qcow2Config config, long sourceSize, long touchedClusters, OptionalLong bitmaps) {
        long clusterSize = config.clusterSize();
        long virtualSize = TargetConfig.roundUp(sourceSize, clusterSize);
        long data = config.hasBacking() || config.preallocation() == Preallocation.FULL
                || config.preallocation() == Preallocation.FALLOC ? virtualSize : touchedClusters * clusterSize;
        long fully = preallocatedSize(virtualSize, clusterSize, config.refcountOrder(), config.extendedL2());
        return new SizeEstimate(fully - virtualSize + data, fully, config.version() >= 3 ? bitmaps : OptionalLong.empty());
    }

    /** qemu's {@code qcow2_calc_prealloc_size}: header, L2 tables, L1 table, refcount metadata, all data. */
    static long preallocatedSize(long alignedSize, long clusterSize, int refcountOrder, boolean extendedL2) {
        long l2EntrySize = extendedL2 ? 16 : 8;
        long meta = clusterSize;
        long l2Entries = TargetConfig.roundUp(alignedSize / clusterSize, clusterSize / l2EntrySize);
        meta += l2Entries * l2EntrySize;
        long l1Entries = TargetConfig.roundUp(l2Entries * l2EntrySize / clusterSize, clusterSize / 8);
        meta += l1Entries * 8;
        meta += refcountMetadataSize((meta + alignedSize) / clusterSize, clusterSize, refcountOrder);
        return meta + alignedSize;
    }

    /** qemu's {@code qcow2_refcount_metadata_size}: the fixed point where the refcounts count themselves too. */
    static long refcountMetadataSize(long clusters, long clusterSize, int refcountOrder) {
        long blocksPerTableCluster = clusterSize / 8;
        long refcountsPerBlock = clusterSize * 8 / (1L << refcountOrder);
        long table = 0;
        long blocks = 0;
        long last;
        long n = 0;
        do {
            last = n;
            blocks = Math.ceilDiv(clusters + table + blocks, refcountsPerBlock);
            table = Math.ceilDiv(blocks, blocksPerTableCluster);
            n = clusters + blocks + table;
        } while (n != last);
        return (blocks + table) * clusterSize;
    }

    /**
     * Units of {@code unitSize} that the source's data touches, counted as qemu's measure counts them (over
     * {@code map}'s view, where data clusters over host holes read as zero): a data run is extended to the end of
     * its last unit and counted from the start of its first.
     */
    static long touchedUnits(SourceImage image, long unitSize, ProgressListener progress) throws IOException {
        long size = image.size();
        long bytes = 0;
        long at = 0;
        while (at < size) {
            progress.checkCancelled();
            progress.progress(at, size);
            SourceImage.Run run = image.allocationAt(at, size - at);
            long length = run.length();
            if (run.kind() == SourceImage.Kind.DATA) {
                length = TargetConfig.roundUp(at + length, unitSize) - at;
                bytes += at % unitSize + length;
            }
            at += length;
        }
        progress.progress(size, size);
        return Math.ceilDiv(bytes, unitSize);
    }

    /** qemu's {@code qcow2_measure_bitmaps}: each persistent bitmap fully allocated, its table, the directory. */
    private static OptionalLong bitmaps(SourceImage image, Qcow2Config config) {
        if (!(image.top() instanceof Qcow2Image qcow2)) {
            return OptionalLong.empty();
        }
        long clusterSize = config.clusterSize();
        long total = 0;
        long directory = 0;
        Object list = qcow2.formatSpecific().get("bitmaps");
        if (list instanceof List<?> bitmaps) {
            for (Object item : bitmaps) {
                Map<?, ?> bitmap = (Map<?, ?>) item;
                long granularity = ((Number) bitmap.get("granularity")).longValue();
                String name = (String) bitmap.get("name");
                long bits = Math.ceilDiv(image.size(), granularity);
                long clusters = Math.ceilDiv(Math.ceilDiv(bits, 8), clusterSize);
                total += clusters * clusterSize + TargetConfig.roundUp(clusters * 8, clusterSize);
                directory += TargetConfig.roundUp(24 + name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, 8);
            }
        }
        return OptionalLong.of(total + TargetConfig.roundUp(directory, clusterSize));
    }

    private static SizeEstimate vmdk(VmdkConfig config, long size, long touchedGrains) {
        long grainSize = VmdkSparseWriter.GRAIN_SIZE;
        long allGrains = Math.ceilDiv(size, grainSize);
        VmdkLayout layout = VmdkLayout.of(config, java.nio.file.Path.of("measure.vmdk"), size);
        long descriptorFile = config.subformat().separateDescriptor() ? DESCRIPTOR_FILE_BYTES : 0;
        return switch (config.subformat()) {
            case MONOLITHIC_FLAT, TWO_GB_MAX_EXTENT_FLAT -> new SizeEstimate(size + descriptorFile, size + descriptorFile,
                    OptionalLong.empty());
            case MONOLITHIC_SPARSE, TWO_GB_MAX_EXTENT_SPARSE -> {
                long overhead = descriptorFile;
                for (VmdkLayout.Extent extent : layout.extents()) {
                    overhead += sparseOverheadSectors(extent.sectors(), !config.subformat().separateDescriptor()) * SECTOR;
                }
                yield new SizeEstimate(overhead + touchedGrains * grainSize, overhead + allGrains * grainSize,
                        OptionalLong.empty());
            }
            case STREAM_OPTIMIZED -> new SizeEstimate(streamBound(size, touchedGrains, touchedGrains),
                    streamBound(size, allGrains, allGrains), OptionalLong.empty());
        };
    }

    /** Header, embedded descriptor, two directories and two sets of tables, rounded up to a grain. */
    static long sparseOverheadSectors(long sectors, boolean embeddedDescriptor) {
        long grains = Math.ceilDiv(sectors, VmdkSparseWriter.GRAIN_SECTORS);
        long tables = Math.max(1, Math.ceilDiv(grains, VmdkSparseWriter.GTES_PER_GT));
        long directorySectors = Math.ceilDiv(tables * 4, SECTOR);
        long end = 1 + (embeddedDescriptor ? VmdkDescriptor.EMBEDDED_SECTORS : 0)
                + 2 * (directorySectors + tables * VmdkSparseWriter.GT_SECTORS);
        return TargetConfig.roundUp(end, VmdkSparseWriter.GRAIN_SECTORS);
    }

    private static long streamBound(long size, long grains, long tablesFrom) {
        long allTables = Math.max(1, Math.ceilDiv(Math.ceilDiv(size, VmdkSparseWriter.GRAIN_SIZE), VmdkSparseWriter.GTES_PER_GT));
        long tables = Math.min(allTables, tablesFrom);
        long directorySectors = Math.ceilDiv(allTables * 4, SECTOR);
        long sectors = VmdkStreamWriter.OVERHEAD_SECTORS + grains * (VmdkSparseWriter.GRAIN_SECTORS + 1)
                + tables * (1 + VmdkSparseWriter.GT_SECTORS) + 1 + directorySectors + 3;
        return sectors * SECTOR;
    }
}

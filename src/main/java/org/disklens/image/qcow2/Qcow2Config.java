package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.crypto.Luks1Writer;
import org.disklens.crypto.Passphrase;
import org.disklens.image.BackingReference;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.Preallocation;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A qcow2 target: qemu-img's creation options, checked with qemu's own rules and messages.
 *
 * @param version         2 ({@code compat=0.10}) or 3 ({@code compat=1.1}, the default)
 * @param clusterBits     log2 of the cluster size (9..21, default 16)
 * @param refcountOrder   log2 of the refcount width in bits (0..6, default 4 = 16 bits)
 * @param zstd            {@code compression_type=zstd} (else zlib)
 * @param compress        {@code -c}: data clusters are written compressed
 * @param backingFile     {@code -B}: the new image's backing file, as it will be written in the header
 * @param encryption      {@code encrypt.format=luks}: the LUKS header's parameters ({@code encrypt.cipher-alg}, …)
 * @param passphrase      {@code --target-passphrase-file}: needed to write an encrypted image (not to measure it)
 */
public record Qcow2Config(int version, int clusterBits, int refcountOrder, boolean zstd, boolean extendedL2,
                          boolean lazyRefcounts, Preallocation preallocation, boolean compress, long sparseSize,
                          Optional<String> backingFile, Optional<String> backingFormat,
                          Optional<Luks1Writer.Params> encryption, Optional<Passphrase> passphrase) implements TargetConfig {

    static final String NO_PASSPHRASE = "an encrypted output needs a passphrase: give --target-passphrase-file FILE";

    static final int DEFAULT_CLUSTER_BITS = 16;

    static Qcow2Config parse(WriteOptions spec) throws InvalidRequest {
        OptionValues options = new OptionValues("qcow2", spec.options());
        int version = options.choice("compat", List.of("0.10", "1.1", "v2", "v3"))
                .map(compat -> compat.equals("0.10") || compat.equals("v2") ? 2 : 3).orElse(3);
        int clusterBits = clusterBits(options.size("cluster_size").orElse(1L << DEFAULT_CLUSTER_BITS));
        int refcountOrder = refcountOrder(options.number("refcount_bits").orElse(16L));
        boolean zstd = options.choice("compression_type", List.of("zlib", "zstd")).map("zstd"::equals).orElse(false);
        boolean extendedL2 = options.bool("extended_l2").orElse(false);
        boolean lazyRefcounts = options.bool("lazy_refcounts").orElse(false);
        Preallocation preallocation = options.choice("preallocation", Preallocation.names(Preallocation.values()))
                .map(Preallocation::named).orElse(Preallocation.OFF);
        Optional<String> backingFile = merged("backing_file", options.text("backing_file"), spec.backingFile());
        Optional<String> backingFormat = merged("backing_fmt", options.text("backing_fmt"), spec.backingFormat());
        options.refuse("data_file", "DiskLens writes the data into the image itself");
        options.refuse("data_file_raw", "DiskLens writes the data into the image itself");
        Optional<String> encryptFormat = options.choice("encrypt.format", List.of("luks", "aes"));
        if (encryptFormat.equals(Optional.of("aes"))) {
            throw new InvalidRequest("qcow2 option 'encrypt.format=aes' is not supported: DiskLens writes "
                    + "encrypt.format=luks (qemu no longer supports AES-CBC encrypted images in its system emulators)");
        }
        Optional<Luks1Writer.Params> encryption = encryptFormat.isPresent()
                ? Optional.of(Luks1Writer.Params.parse(options, "encrypt.")) : Optional.empty();
        options.refuse("encrypt.", "give encrypt.format=luks first");
        options.refuse("encryption", "use encrypt.format=luks");
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();

        String v3Only = " only supported with compatibility level 1.1 and above (use compat=1.1 or greater)";
        if (version < 3 && lazyRefcounts) {
            throw new InvalidRequest("Lazy refcounts" + v3Only);
        }
        if (version < 3 && refcountOrder != 4) {
            throw new InvalidRequest("Different refcount widths than 16 bits require compatibility level 1.1 or above "
                    + "(use compat=1.1 or greater)");
        }
        if (version < 3 && extendedL2) {
            throw new InvalidRequest("Extended L2 entries are" + v3Only);
        }
        if (version < 3 && zstd) {
            throw new InvalidRequest("Non-zlib compression type is" + v3Only);
        }
        if (extendedL2 && clusterBits < 14) {
            throw new InvalidRequest("Extended L2 entries are only supported with cluster sizes of at least 16384 bytes");
        }
        if (encryption.isPresent() && spec.compress()) {
            throw new InvalidRequest("Compression and encryption not supported at the same time");
        }
        if (encryption.isPresent() && preallocation != Preallocation.OFF) {
            throw new InvalidRequest("qcow2 option 'preallocation' is not supported with encryption: DiskLens does not "
                    + "preallocate encrypted images");
        }
        if (spec.compress() && preallocation != Preallocation.OFF) {
            throw new InvalidRequest("Compression and preallocation not supported at the same time");
        }
        if (backingFile.isPresent() && backingFormat.isEmpty()) {
            throw new InvalidRequest("Use of backing file requires explicit backing format");
        }
        if (backingFile.isEmpty() && backingFormat.isPresent()) {
            throw new InvalidRequest("Backing format cannot be used without backing file");
        }
        if (backingFile.isPresent() && preallocation != Preallocation.OFF) {
            throw new InvalidRequest("Backing file and preallocation cannot be used at the same time "
                    + "(the new image holds only what differs from its backing file)");
        }
        if (backingFile.isPresent()) {
            int nameBytes = backingFile.get().getBytes(StandardCharsets.UTF_8).length;
            int formatBytes = backingFormat.map(f -> f.getBytes(StandardCharsets.UTF_8).length).orElse(0);
            int header = (version >= 3 ? 112 : 72) + 8 + (formatBytes + 7) / 8 * 8 + 8;
            if (nameBytes > 1023) {
                throw new InvalidRequest("Backing file name too long (at most 1023 bytes)");
            }
            if (header + nameBytes > 1 << clusterBits) {
                throw new InvalidRequest("Backing file name too long for the header cluster of %d bytes (use a larger "
                        .formatted(1 << clusterBits) + "cluster_size)");
            }
        }
        return new Qcow2Config(version, clusterBits, refcountOrder, zstd, extendedL2, lazyRefcounts, preallocation,
                spec.compress(), spec.sparseSize(), backingFile, backingFormat, encryption, spec.passphrase());
    }

    private static Optional<String> merged(String key, Optional<String> fromOptions, Optional<String> fromFlag)
            throws InvalidRequest {
        if (fromOptions.isPresent() && fromFlag.isPresent() && !fromOptions.equals(fromFlag)) {
            throw new InvalidRequest("'%s' given twice with different values (-o %s=%s and %s)"
                    .formatted(key, key, fromOptions.get(), fromFlag.get()));
        }
        return fromOptions.or(() -> fromFlag);
    }

    private static int clusterBits(long clusterSize) throws InvalidRequest {
        if (clusterSize < 512 || clusterSize > (2 << 20) || Long.bitCount(clusterSize) != 1) {
            throw new InvalidRequest("Cluster size must be a power of two between 512 and 2048k");
        }
        return Long.numberOfTrailingZeros(clusterSize);
    }

    private static int refcountOrder(long bits) throws InvalidRequest {
        if (bits < 1 || bits > 64 || Long.bitCount(bits) != 1) {
            throw new InvalidRequest("Refcount width must be a power of two and may not exceed 64 bits");
        }
        return Long.numberOfTrailingZeros(bits);
    }

    @Override
    public String format() {
        return "qcow2";
    }

    public int clusterSize() {
        return 1 << clusterBits;
    }

    /** qcow2 sizes are whole sectors; qemu-img rounds the source's size up the same way. */
    @Override
    public long targetSize(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, 512);
    }

    /** qemu's limit on the disk size for a cluster size: the L1 table may not exceed 32 MiB. */
    void checkSize(long size) throws InvalidRequest {
        long clusters = TargetConfig.roundUp(size, clusterSize()) / clusterSize();
        long l2Tables = Math.ceilDiv(clusters, clusterSize() / (extendedL2 ? 16 : 8));
        if (l2Tables * 8 > Qcow2Image.MAX_L1_BYTES) {
            throw new InvalidRequest("The image size is too large (try using a larger cluster size)");
        }
    }

    /** Zeroes the top layer states must be written as zero clusters when a backing file could show through. */
    public boolean hasBacking() {
        return backingFile.isPresent();
    }

    @Override
    public Optional<BackingReference> backing() {
        return backingFile.map(name -> new BackingReference(name, backingFormat));
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        if (encryption.isPresent() && passphrase.isEmpty()) {
            throw new InvalidRequest(NO_PASSPHRASE);
        }
        return new Qcow2Writer(this, files, target, size);
    }

    @Override
    public boolean encrypted() {
        return encryption.isPresent();
    }

    /** The clusters the LUKS header takes in the file (0 without encryption). */
    long cryptoHeaderBytes() {
        return encryption.map(params -> TargetConfig.roundUp(Luks1Writer.payloadOffset(params), clusterSize())).orElse(0L);
    }

    /**
     * qemu's {@code qcow2_measure}: the metadata of a fully allocated image of this cluster size, refcount width and L2
     * entry size ({@code qcow2_calc_prealloc_size}, refcount metadata by fixed point), plus the clusters the source's
     * data touches (every cluster with a backing file, or with {@code preallocation=falloc|full}); for a qcow2 source
     * and a version 3 target, the space its persistent bitmaps would take.
     */
    @Override
    public SizeEstimate estimate(MeasureSource source) throws IOException {
        long sourceSize = source.size();
        checkSize(sourceSize);
        long clusterSize = clusterSize();
        long virtualSize = TargetConfig.roundUp(sourceSize, clusterSize);
        boolean allClusters = hasBacking() || preallocation == Preallocation.FULL || preallocation == Preallocation.FALLOC;
        long data = allClusters ? virtualSize : source.touchedUnits(clusterSize) * clusterSize;
        long fully = preallocatedSize(virtualSize, clusterSize, refcountOrder, extendedL2);
        OptionalLong bitmaps = version >= 3 ? bitmapsSize(source.bitmaps(), sourceSize) : OptionalLong.empty();
        long crypto = cryptoHeaderBytes();
        return new SizeEstimate(fully - virtualSize + data + crypto, fully + crypto, bitmaps);
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

    /** qemu's {@code qcow2_measure_bitmaps}: each persistent bitmap fully allocated, its table, the directory. */
    private OptionalLong bitmapsSize(Optional<List<DiskImage.Bitmap>> sourceBitmaps, long sourceSize) {
        if (sourceBitmaps.isEmpty()) {
            return OptionalLong.empty();
        }
        long clusterSize = clusterSize();
        long total = 0;
        long directory = 0;
        for (DiskImage.Bitmap bitmap : sourceBitmaps.get()) {
            long bits = Math.ceilDiv(sourceSize, bitmap.granularity());
            long clusters = Math.ceilDiv(Math.ceilDiv(bits, 8), clusterSize);
            total += clusters * clusterSize + TargetConfig.roundUp(clusters * 8, clusterSize);
            directory += TargetConfig.roundUp(24 + bitmap.name().getBytes(StandardCharsets.UTF_8).length, 8);
        }
        return OptionalLong.of(total + TargetConfig.roundUp(directory, clusterSize));
    }
}

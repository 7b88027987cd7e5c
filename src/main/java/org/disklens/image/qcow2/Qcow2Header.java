package org.disklens.image.qcow2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;

/**
 * The fixed qcow2 header (versions 2 and 3), decoded from the first bytes of the file. Field names follow
 * qemu's {@code docs/interop/qcow2.txt}.
 */
public record Qcow2Header(
        int version,
        long backingFileOffset,
        int backingFileSize,
        int clusterBits,
        long size,
        int cryptMethod,
        long l1Size,
        long l1TableOffset,
        long refcountTableOffset,
        long refcountTableClusters,
        long nbSnapshots,
        long snapshotsOffset,
        long incompatibleFeatures,
        long compatibleFeatures,
        long autoclearFeatures,
        int refcountOrder,
        int headerLength,
        int compressionType) {

    static final int MAGIC = 0x514649fb;
    static final int V2_HEADER_LENGTH = 72;
    static final int V3_MIN_HEADER_LENGTH = 104;
    /** What qemu (and DiskLens) writes for version 3: up to and including the compression type, padded to 8. */
    static final int V3_WRITTEN_HEADER_LENGTH = 112;

    static final long INCOMPAT_DIRTY = 1L;
    static final long INCOMPAT_CORRUPT = 1L << 1;
    static final long INCOMPAT_DATA_FILE = 1L << 2;
    static final long INCOMPAT_COMPRESSION = 1L << 3;
    static final long INCOMPAT_EXTENDED_L2 = 1L << 4;
    static final long INCOMPAT_KNOWN = (1L << 5) - 1;
    static final long COMPAT_LAZY_REFCOUNTS = 1L;
    static final long AUTOCLEAR_BITMAPS = 1L;
    static final long AUTOCLEAR_DATA_FILE_RAW = 1L << 1;

    static final int CRYPT_NONE = 0;
    static final int CRYPT_AES = 1;
    static final int CRYPT_LUKS = 2;

    static final int MIN_CLUSTER_BITS = 9;
    static final int MAX_CLUSTER_BITS = 21;

    /** Decodes the header; {@code bytes} holds at least the first 512 bytes of the file (big-endian). */
    static Qcow2Header parse(ByteBuffer bytes) throws ImageException {
        if (bytes.remaining() < V2_HEADER_LENGTH || bytes.getInt(0) != MAGIC) {
            throw new CorruptImage("qcow2", "header", 0, "no qcow2 magic (QFI\\xfb)");
        }
        int version = bytes.getInt(4);
        if (version != 2 && version != 3) {
            throw new UnsupportedFeature("qcow2", "header", 4, "unsupported version %d (known: 2, 3)"
                    .formatted(Integer.toUnsignedLong(version)));
        }
        boolean v3 = version == 3;
        if (v3 && bytes.remaining() < V3_MIN_HEADER_LENGTH) {
            throw new CorruptImage("qcow2", "header", 0, "the file ends inside the version 3 header");
        }
        int headerLength = v3 ? bytes.getInt(100) : V2_HEADER_LENGTH;
        int compressionType = v3 && Integer.toUnsignedLong(headerLength) > 104 && bytes.remaining() > 104
                ? Byte.toUnsignedInt(bytes.get(104)) : 0;
        return new Qcow2Header(version,
                bytes.getLong(8),
                bytes.getInt(16),
                bytes.getInt(20),
                bytes.getLong(24),
                bytes.getInt(32),
                Integer.toUnsignedLong(bytes.getInt(36)),
                bytes.getLong(40),
                bytes.getLong(48),
                Integer.toUnsignedLong(bytes.getInt(56)),
                Integer.toUnsignedLong(bytes.getInt(60)),
                bytes.getLong(64),
                v3 ? bytes.getLong(72) : 0,
                v3 ? bytes.getLong(80) : 0,
                v3 ? bytes.getLong(88) : 0,
                v3 ? bytes.getInt(96) : 4,
                headerLength,
                compressionType);
    }

    /** The checks qemu makes before it trusts any other field. */
    void validate() throws ImageException {
        if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
            throw new LimitExceeded("qcow2", "header", 20, "unsupported cluster size 2^%d (512 B to 2 MiB are allowed)"
                    .formatted(Integer.toUnsignedLong(clusterBits)));
        }
        if (version == 3) {
            long length = Integer.toUnsignedLong(headerLength);
            if (length < V3_MIN_HEADER_LENGTH || length % 8 != 0) {
                throw new CorruptImage("qcow2", "header", 100, "invalid header length %d".formatted(length));
            }
            if (length > clusterSize()) {
                throw new CorruptImage("qcow2", "header", 100, "header length %d exceeds the cluster size".formatted(length));
            }
        }
        long unknown = incompatibleFeatures & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            throw new UnsupportedFeature("qcow2", "header", 72,
                    "unknown incompatible feature bits 0x%x; refusing to read the image".formatted(unknown));
        }
        if (refcountOrder < 0 || refcountOrder > 6) {
            throw new CorruptImage("qcow2", "header", 96,
                    "refcount order %d: refcount width may not exceed 64 bits".formatted(Integer.toUnsignedLong(refcountOrder)));
        }
        if (cryptMethod < 0 || cryptMethod > CRYPT_LUKS) {
            throw new UnsupportedFeature("qcow2", "header", 32,
                    "unknown encryption method %d".formatted(Integer.toUnsignedLong(cryptMethod)));
        }
        if ((incompatibleFeatures & INCOMPAT_COMPRESSION) != 0 ? compressionType == 0 : compressionType != 0) {
            throw new CorruptImage("qcow2", "header", 104,
                    "compression type %d does not match the compression-type feature bit".formatted(compressionType));
        }
        if (compressionType > 1) {
            throw new UnsupportedFeature("qcow2", "header", 104, "unknown compression type %d".formatted(compressionType));
        }
        if (extendedL2() && clusterBits < 14) {
            throw new CorruptImage("qcow2", "header", 20, "extended L2 entries need clusters of at least 16 KiB");
        }
        if (size < 0) {
            throw new LimitExceeded("qcow2", "header", 24, "virtual size %s is too large".formatted(Long.toUnsignedString(size)));
        }
        if (backingFileOffset != 0) {
            if (Long.compareUnsigned(backingFileOffset, clusterSize()) > 0
                    || Integer.toUnsignedLong(backingFileSize) > 1023
                    || backingFileOffset + Integer.toUnsignedLong(backingFileSize) > clusterSize()) {
                throw new CorruptImage("qcow2", "backing file name", backingFileOffset,
                        "invalid location or length %d (at most 1023 bytes inside the first cluster)"
                                .formatted(Integer.toUnsignedLong(backingFileSize)));
            }
        }
    }

    /**
     * This header with another active L1 table and disk size: how the image looks through an internal snapshot
     * (qemu's {@code bdrv_snapshot_load_tmp}). Only the mapping changes; every other field stays.
     */
    Qcow2Header withActiveL1(long diskSize, long l1TableOffset, long l1Size) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, diskSize, cryptMethod, l1Size,
                l1TableOffset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset,
                incompatibleFeatures, compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType);
    }

    int clusterSize() {
        return 1 << clusterBits;
    }

    /** The header's own length: 72 bytes for version 2. */
    int length() {
        return version == 2 ? V2_HEADER_LENGTH : headerLength;
    }

    boolean dirty() {
        return (incompatibleFeatures & INCOMPAT_DIRTY) != 0;
    }

    boolean corrupt() {
        return (incompatibleFeatures & INCOMPAT_CORRUPT) != 0;
    }

    boolean hasDataFile() {
        return (incompatibleFeatures & INCOMPAT_DATA_FILE) != 0;
    }

    boolean extendedL2() {
        return (incompatibleFeatures & INCOMPAT_EXTENDED_L2) != 0;
    }

    boolean lazyRefcounts() {
        return (compatibleFeatures & COMPAT_LAZY_REFCOUNTS) != 0;
    }

    boolean dataFileRaw() {
        return (autoclearFeatures & AUTOCLEAR_DATA_FILE_RAW) != 0;
    }

    boolean bitmapsConsistent() {
        return (autoclearFeatures & AUTOCLEAR_BITMAPS) != 0;
    }

    int refcountBits() {
        return 1 << refcountOrder;
    }

    String compressionName() {
        return compressionType == 1 ? "zstd" : "zlib";
    }

    String compat() {
        return version == 2 ? "0.10" : "1.1";
    }

    /** The feature name table qemu writes: type (0 incompatible, 1 compatible, 2 autoclear), bit, name. */
    private static final List<Qcow2Extensions.FeatureName> WRITTEN_FEATURES = List.of(
            new Qcow2Extensions.FeatureName(0, 0, "dirty bit"), new Qcow2Extensions.FeatureName(0, 1, "corrupt bit"),
            new Qcow2Extensions.FeatureName(0, 2, "external data file"),
            new Qcow2Extensions.FeatureName(0, 3, "compression type"),
            new Qcow2Extensions.FeatureName(0, 4, "extended L2 entries"),
            new Qcow2Extensions.FeatureName(1, 0, "lazy refcounts"), new Qcow2Extensions.FeatureName(2, 0, "bitmaps"),
            new Qcow2Extensions.FeatureName(2, 1, "raw external data"));

    /**
     * The first cluster of a new image, laid out as qemu lays it out: this header (72 bytes for version 2, 112 for
     * version 3 with the compression type byte), the header extensions (backing file format, then for version 3
     * the feature name table, then the end marker), and the backing file name right after them.
     */
    static ByteBuffer encode(Qcow2Config config, long size, long l1Size, long l1Offset, long refcountTableOffset,
                             long refcountTableClusters, int clusterSize, long cryptoOffset, long cryptoLength) {
        ByteBuffer header = ByteBuffer.allocate(clusterSize).order(ByteOrder.BIG_ENDIAN);
        boolean v3 = config.version() >= 3;
        header.putInt(0, MAGIC);
        header.putInt(4, config.version());
        header.putInt(20, config.clusterBits());
        header.putLong(24, size);
        header.putInt(32, cryptoLength > 0 ? 2 : 0);
        header.putInt(36, (int) l1Size);
        header.putLong(40, l1Offset);
        header.putLong(48, refcountTableOffset);
        header.putInt(56, (int) refcountTableClusters);
        if (v3) {
            long incompatible = (config.zstd() ? INCOMPAT_COMPRESSION : 0) | (config.extendedL2() ? INCOMPAT_EXTENDED_L2 : 0);
            header.putLong(72, incompatible);
            header.putLong(80, config.lazyRefcounts() ? COMPAT_LAZY_REFCOUNTS : 0);
            header.putLong(88, 0);
            header.putInt(96, config.refcountOrder());
            header.putInt(100, V3_WRITTEN_HEADER_LENGTH);
            header.put(104, (byte) (config.zstd() ? 1 : 0));
        }
        int at = v3 ? V3_WRITTEN_HEADER_LENGTH : 72;
        byte[] backingName = config.backingFile().map(name -> name.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        if (cryptoLength > 0) {
            at = extension(header, at, Qcow2Extensions.CRYPTO_HEADER, ByteBuffer.allocate(16).putLong(cryptoOffset)
                    .putLong(cryptoLength).array());
        }
        if (config.backingFormat().isPresent()) {
            at = extension(header, at, Qcow2Extensions.BACKING_FORMAT, config.backingFormat().get().getBytes(StandardCharsets.UTF_8));
        }
        int entry = Qcow2Extensions.FEATURE_NAME_ENTRY;
        int featureTable = 8 + WRITTEN_FEATURES.size() * entry;
        if (v3 && at + featureTable + 8 + backingName.length <= clusterSize) {
            byte[] table = new byte[WRITTEN_FEATURES.size() * entry];
            for (int i = 0; i < WRITTEN_FEATURES.size(); i++) {
                Qcow2Extensions.FeatureName feature = WRITTEN_FEATURES.get(i);
                table[i * entry] = (byte) feature.type();
                table[i * entry + 1] = (byte) feature.bit();
                byte[] name = feature.name().getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(name, 0, table, i * entry + 2, name.length);
            }
            at = extension(header, at, Qcow2Extensions.FEATURE_TABLE, table);
        }
        at = extension(header, at, Qcow2Extensions.END, new byte[0]);
        if (backingName.length > 0) {
            header.putLong(8, at);
            header.putInt(16, backingName.length);
            header.put(at, backingName);
        }
        return header;
    }

    /** One extension: type, length, data padded to 8 bytes; returns where the next one goes. */
    private static int extension(ByteBuffer header, int at, int type, byte[] data) {
        header.putInt(at, type);
        header.putInt(at + 4, data.length);
        header.put(at + 8, data);
        return at + 8 + (data.length + 7) / 8 * 8;
    }
}

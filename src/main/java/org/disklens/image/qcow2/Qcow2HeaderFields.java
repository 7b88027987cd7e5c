package org.disklens.image.qcow2;

import java.util.ArrayList;
import java.util.List;
import org.disklens.image.HeaderField;
import org.disklens.image.Units;

/**
 * Every qcow2 header field and extension as stored, named as in qemu's {@code qcow2.txt}, with its byte offset in
 * the file, for the header sheet.
 */
final class Qcow2HeaderFields {
    private static final String HEADER = "Header (qcow2)";
    private static final String EXTENSIONS = "Header extensions (qcow2)";
    private static final String[] INCOMPATIBLE = {"dirty", "corrupt", "external data file", "compression type",
        "extended L2 entries"};
    private static final String[] COMPATIBLE = {"lazy refcounts"};
    private static final String[] AUTOCLEAR = {"bitmaps extension", "raw external data"};

    private Qcow2HeaderFields() {
    }

    static List<HeaderField> of(Qcow2Header header, Qcow2Extensions extensions) {
        List<HeaderField> fields = new ArrayList<>();
        header(header, fields);
        extensions(extensions, fields);
        return List.copyOf(fields);
    }

    private static void header(Qcow2Header header, List<HeaderField> fields) {
        field(fields, 4, "version", Integer.toString(header.version()), "2 = compat 0.10, 3 = compat 1.1");
        field(fields, 8, "backing_file_offset", Units.hex(header.backingFileOffset()),
                "where the backing file name is stored (0 = no backing file)");
        field(fields, 16, "backing_file_size", Integer.toString(header.backingFileSize()),
                "length of the backing file name in bytes");
        field(fields, 20, "cluster_bits", "%d (%s clusters)".formatted(header.clusterBits(),
                Units.size(1L << header.clusterBits())), "allocation unit: 1 << cluster_bits bytes");
        field(fields, 24, "size", "%s (%s)".formatted(Units.size(header.size()), Units.exactBytes(header.size())),
                "virtual disk size");
        field(fields, 32, "crypt_method", switch (header.cryptMethod()) {
            case Qcow2Header.CRYPT_NONE -> "0 (none)";
            case Qcow2Header.CRYPT_AES -> "1 (AES, legacy)";
            default -> header.cryptMethod() + " (LUKS)";
        }, "encryption of guest data");
        field(fields, 36, "l1_size", Long.toString(header.l1Size()), "entries in the active L1 table");
        field(fields, 40, "l1_table_offset", Units.hex(header.l1TableOffset()), "active L1 table");
        field(fields, 48, "refcount_table_offset", Units.hex(header.refcountTableOffset()), "refcount table");
        field(fields, 56, "refcount_table_clusters", Long.toString(header.refcountTableClusters()),
                "clusters the refcount table occupies");
        field(fields, 60, "nb_snapshots", Long.toString(header.nbSnapshots()), "internal snapshots");
        field(fields, 64, "snapshots_offset", Units.hex(header.snapshotsOffset()), "snapshot table");
        if (header.version() >= 3) {
            field(fields, 72, "incompatible_features", bits(header.incompatibleFeatures(), INCOMPATIBLE),
                    "readers must understand these to open the image");
            field(fields, 80, "compatible_features", bits(header.compatibleFeatures(), COMPATIBLE), "safe to ignore");
            field(fields, 88, "autoclear_features", bits(header.autoclearFeatures(), AUTOCLEAR),
                    "cleared by writers that do not understand them");
            field(fields, 96, "refcount_order", "%d (%d-bit refcounts)".formatted(header.refcountOrder(),
                    1 << header.refcountOrder()), "width of each refcount entry");
            field(fields, 100, "header_length", Integer.toString(header.headerLength()), "bytes of the fixed header");
            field(fields, 104, "compression_type", header.compressionType() == 1 ? "1 (zstd)" : "0 (zlib)",
                    "how compressed clusters are encoded");
        }
    }

    private static void field(List<HeaderField> fields, long hostOffset, String name, String value, String description) {
        fields.add(new HeaderField(HEADER, name, value, description, hostOffset));
    }

    private static void extensions(Qcow2Extensions extensions, List<HeaderField> fields) {
        extensions.backingFormat().ifPresent(format -> extension(fields, "backing file format", format,
                Qcow2Extensions.BACKING_FORMAT));
        extensions.dataFile().ifPresent(file -> extension(fields, "external data file", file, Qcow2Extensions.DATA_FILE));
        extensions.bitmaps().ifPresent(bitmaps -> extension(fields, "bitmaps",
                "%d bitmap(s), directory of %d bytes at %s".formatted(bitmaps.count(), bitmaps.directorySize(),
                        Units.hex(bitmaps.directoryOffset())), Qcow2Extensions.BITMAPS));
        extensions.cryptoHeader().ifPresent(crypto -> extension(fields, "encryption header",
                "%d bytes at %s".formatted(crypto.length(), Units.hex(crypto.offset())), Qcow2Extensions.CRYPTO_HEADER));
        for (Qcow2Extensions.FeatureName feature : extensions.featureNames()) {
            String type = switch (feature.type()) {
                case 0 -> "incompatible";
                case 1 -> "compatible";
                default -> "autoclear";
            };
            fields.add(new HeaderField(EXTENSIONS, "feature %s bit %d".formatted(type, feature.bit()), feature.name(),
                    "feature name table (0x%08x)".formatted(Qcow2Extensions.FEATURE_TABLE), -1));
        }
        for (Qcow2Extensions.Unknown unknown : extensions.unknown()) {
            fields.add(new HeaderField(EXTENSIONS, "unknown extension 0x%08x".formatted(unknown.type()),
                    "%d bytes at %s".formatted(unknown.length(), Units.hex(unknown.hostOffset())),
                    "kept and shown, not understood", unknown.hostOffset()));
        }
    }

    private static void extension(List<HeaderField> fields, String name, String value, int type) {
        fields.add(new HeaderField(EXTENSIONS, name, value, "0x%08x".formatted(type), -1));
    }

    private static String bits(long value, String[] names) {
        if (value == 0) {
            return "0x0 (none)";
        }
        List<String> set = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((value & (1L << bit)) != 0) {
                set.add(bit < names.length ? names[bit] : "unknown bit " + bit);
            }
        }
        return "0x%x (%s)".formatted(value, String.join(", ", set));
    }
}

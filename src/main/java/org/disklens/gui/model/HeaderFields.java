package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.disklens.image.DiskImage;
import org.disklens.image.qcow2.Qcow2Extensions;
import org.disklens.image.qcow2.Qcow2Header;
import org.disklens.image.qcow2.Qcow2Image;

/**
 * The rows of the header property sheet: every qcow2 header field and extension as stored (names as in
 * qemu's {@code qcow2.txt}), then the format-specific facts qemu-img shows for any format.
 */
final class HeaderFields {
    private static final String[] INCOMPATIBLE = {"dirty", "corrupt", "external data file", "compression type",
        "extended L2 entries"};
    private static final String[] COMPATIBLE = {"lazy refcounts"};
    private static final String[] AUTOCLEAR = {"bitmaps extension", "raw external data"};

    private HeaderFields() {
    }

    static List<HeaderField> of(DiskImage image) {
        List<HeaderField> fields = new ArrayList<>();
        if (image instanceof Qcow2Image qcow2) {
            header(qcow2, fields);
            extensions(qcow2.extensions(), fields);
        }
        flatten("qemu-img info: format-specific", "", image.formatSpecific(), fields);
        return List.copyOf(fields);
    }

    private static void header(Qcow2Image image, List<HeaderField> fields) {
        Qcow2Header header = image.header();
        String group = "Header (qcow2)";
        fields.add(new HeaderField(group, "version", Integer.toString(header.version()), "2 = compat 0.10, 3 = compat 1.1"));
        fields.add(new HeaderField(group, "backing_file_offset", Formats.hex(header.backingFileOffset()),
                "where the backing file name is stored (0 = no backing file)"));
        fields.add(new HeaderField(group, "backing_file_size", Integer.toString(header.backingFileSize()),
                "length of the backing file name in bytes"));
        fields.add(new HeaderField(group, "cluster_bits", "%d (%s clusters)".formatted(header.clusterBits(),
                Formats.size(1L << header.clusterBits())), "allocation unit: 1 << cluster_bits bytes"));
        fields.add(new HeaderField(group, "size", "%s (%s)".formatted(Formats.size(header.size()),
                Formats.exactBytes(header.size())), "virtual disk size"));
        fields.add(new HeaderField(group, "crypt_method", switch (header.cryptMethod()) {
            case 0 -> "0 (none)";
            case 1 -> "1 (AES, legacy)";
            default -> header.cryptMethod() + " (LUKS)";
        }, "encryption of guest data"));
        fields.add(new HeaderField(group, "l1_size", Long.toString(header.l1Size()), "entries in the active L1 table"));
        fields.add(new HeaderField(group, "l1_table_offset", Formats.hex(header.l1TableOffset()), "active L1 table"));
        fields.add(new HeaderField(group, "refcount_table_offset", Formats.hex(header.refcountTableOffset()),
                "refcount table"));
        fields.add(new HeaderField(group, "refcount_table_clusters", Long.toString(header.refcountTableClusters()),
                "clusters the refcount table occupies"));
        fields.add(new HeaderField(group, "nb_snapshots", Long.toString(header.nbSnapshots()), "internal snapshots"));
        fields.add(new HeaderField(group, "snapshots_offset", Formats.hex(header.snapshotsOffset()), "snapshot table"));
        if (header.version() >= 3) {
            fields.add(new HeaderField(group, "incompatible_features",
                    bits(header.incompatibleFeatures(), INCOMPATIBLE), "readers must understand these to open the image"));
            fields.add(new HeaderField(group, "compatible_features", bits(header.compatibleFeatures(), COMPATIBLE),
                    "safe to ignore"));
            fields.add(new HeaderField(group, "autoclear_features", bits(header.autoclearFeatures(), AUTOCLEAR),
                    "cleared by writers that do not understand them"));
            fields.add(new HeaderField(group, "refcount_order", "%d (%d-bit refcounts)".formatted(header.refcountOrder(),
                    1 << header.refcountOrder()), "width of each refcount entry"));
            fields.add(new HeaderField(group, "header_length", Integer.toString(header.headerLength()),
                    "bytes of the fixed header"));
            fields.add(new HeaderField(group, "compression_type", header.compressionType() == 1 ? "1 (zstd)" : "0 (zlib)",
                    "how compressed clusters are encoded"));
        }
    }

    private static void extensions(Qcow2Extensions extensions, List<HeaderField> fields) {
        String group = "Header extensions (qcow2)";
        extensions.backingFormat().ifPresent(format -> fields.add(new HeaderField(group, "backing file format", format,
                "0xe2792aca")));
        extensions.dataFile().ifPresent(file -> fields.add(new HeaderField(group, "external data file", file,
                "0x44415441")));
        extensions.bitmaps().ifPresent(bitmaps -> fields.add(new HeaderField(group, "bitmaps",
                "%d bitmap(s), directory of %d bytes at %s".formatted(bitmaps.count(), bitmaps.directorySize(),
                        Formats.hex(bitmaps.directoryOffset())), "0x23852875")));
        extensions.cryptoHeader().ifPresent(crypto -> fields.add(new HeaderField(group, "encryption header",
                "%d bytes at %s".formatted(crypto.length(), Formats.hex(crypto.offset())), "0x0537be77")));
        for (Qcow2Extensions.FeatureName feature : extensions.featureNames()) {
            String type = switch (feature.type()) {
                case 0 -> "incompatible";
                case 1 -> "compatible";
                default -> "autoclear";
            };
            fields.add(new HeaderField(group, "feature %s bit %d".formatted(type, feature.bit()), feature.name(),
                    "feature name table (0x6803f857)"));
        }
        for (Qcow2Extensions.Unknown unknown : extensions.unknown()) {
            fields.add(new HeaderField(group, "unknown extension 0x%08x".formatted(unknown.type()),
                    "%d bytes at %s".formatted(unknown.length(), Formats.hex(unknown.hostOffset())),
                    "kept and shown, not understood"));
        }
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

    @SuppressWarnings("unchecked")
    private static void flatten(String group, String prefix, Map<String, Object> map, List<HeaderField> fields) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            String name = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(group, name + ".", (Map<String, Object>) nested, fields);
            } else if (value instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?>) {
                for (int index = 0; index < list.size(); index++) {
                    flatten(group, "%s[%d].".formatted(name, index), (Map<String, Object>) list.get(index), fields);
                }
            } else {
                fields.add(new HeaderField(group, name, String.valueOf(value), ""));
            }
        }
    }
}

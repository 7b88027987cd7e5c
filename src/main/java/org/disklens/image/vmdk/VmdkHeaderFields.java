package org.disklens.image.vmdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.disklens.image.HeaderField;
import org.disklens.image.Units;

/**
 * The header sheet of a VMDK: the hosted sparse extent header as stored (VMware Virtual Disk Format 1.1, "Hosted
 * Sparse Extent Header"; for streamOptimized the footer, whose grain directory offset is the real one), then every
 * line of the descriptor: its header keys, extent lines and disk database.
 */
final class VmdkHeaderFields {
    private static final String[][] FLAGS = {{"0", "valid new-line detection"}, {"1", "redundant grain table"},
        {"2", "zeroed-grain entries"}, {"16", "compressed grains"}, {"17", "markers"}};

    private VmdkHeaderFields() {
    }

    static List<HeaderField> of(SparseHeader header, boolean fromFooter, long headerOffset, VmdkDescriptor descriptor) {
        List<HeaderField> fields = new ArrayList<>();
        if (header != null) {
            sparseHeader(header, fromFooter, headerOffset, fields);
        }
        descriptor(descriptor, fields);
        return List.copyOf(fields);
    }

    private static void sparseHeader(SparseHeader header, boolean fromFooter, long at, List<HeaderField> fields) {
        String group = fromFooter ? "Footer (vmdk streamOptimized)" : "Sparse extent header (vmdk)";
        add(fields, group, at, "magicNumber", "KDMV", "identifies a hosted sparse extent");
        add(fields, group, at + 4, "version", Integer.toString(header.version()), "1, 2 (zeroed grains) or 3 (streamOptimized)");
        add(fields, group, at + 8, "flags", flags(header.flags()), "features of this extent");
        add(fields, group, at + 12, "capacity", "%d sectors (%s)".formatted(header.capacity(),
                Units.size(header.capacity() << 9)), "the extent's size");
        add(fields, group, at + 20, "grainSize", "%d sectors (%s)".formatted(header.grainSize(),
                Units.size(header.grainBytes())), "allocation unit");
        add(fields, group, at + 28, "descriptorOffset", sectors(header.descriptorOffset()), "the embedded descriptor");
        add(fields, group, at + 36, "descriptorSize", "%d sectors".formatted(header.descriptorSize()),
                "room reserved for the descriptor");
        add(fields, group, at + 44, "numGTEsPerGT", Long.toString(header.numGTEsPerGT()), "entries per grain table");
        add(fields, group, at + 48, "rgdOffset", sectors(header.rgdOffset()), "the redundant grain directory");
        add(fields, group, at + 56, "gdOffset", sectors(header.gdOffset()), "the grain directory");
        add(fields, group, at + 64, "overHead", "%d sectors (%s)".formatted(header.overhead(),
                Units.size(header.overhead() << 9)), "metadata before the first grain");
        add(fields, group, at + 72, "uncleanShutdown", header.uncleanShutdown() ? "1 (not closed cleanly)" : "0",
                "set while a writer has the extent open");
        add(fields, group, at + 77, "compressAlgorithm", header.compressAlgorithm() == SparseHeader.COMPRESS_DEFLATE
                ? "1 (deflate)" : Integer.toString(header.compressAlgorithm()), "how grains are compressed");
    }

    private static void descriptor(VmdkDescriptor descriptor, List<HeaderField> fields) {
        String group = "Descriptor (vmdk)";
        for (Map.Entry<String, String> line : descriptor.header().entrySet()) {
            add(fields, group, -1, line.getKey(), line.getValue(), "");
        }
        int index = 0;
        for (VmdkDescriptor.ExtentLine extent : descriptor.extents()) {
            add(fields, group, -1, "extent " + index++, "%s %d %s%s%s".formatted(extent.access(), extent.sectors(),
                    extent.type(), extent.fileName().map(name -> " \"" + name + "\"").orElse(""),
                    extent.offsetSectors() > 0 ? " " + extent.offsetSectors() : ""),
                    "access, sectors, type, file and offset");
        }
        for (Map.Entry<String, String> line : descriptor.database().entrySet()) {
            add(fields, "Disk database (vmdk descriptor)", -1, line.getKey(), line.getValue(), "");
        }
    }

    private static String flags(int flags) {
        List<String> names = new ArrayList<>();
        for (String[] flag : FLAGS) {
            if ((flags & (1 << Integer.parseInt(flag[0]))) != 0) {
                names.add(flag[1]);
            }
        }
        return "0x%x%s".formatted(flags, names.isEmpty() ? "" : " (" + String.join(", ", names) + ")");
    }

    private static String sectors(long sector) {
        if (sector == SparseHeader.GD_AT_END) {
            return "GD_AT_END (in the footer)";
        }
        return sector <= 0 ? "0 (none)" : "sector %d (%s)".formatted(sector, Units.hex(sector << 9));
    }

    private static void add(List<HeaderField> fields, String group, long hostOffset, String name, String value,
                            String description) {
        fields.add(new HeaderField(group, name, value, description, hostOffset));
    }
}

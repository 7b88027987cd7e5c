package org.disklens.image.vdi;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.disklens.image.HeaderField;
import org.disklens.image.Units;

/**
 * Every field of a VDI's pre-header and header as stored, named as in VirtualBox's {@code VDICore.h}, with its byte
 * offset in the file, for the header sheet.
 */
final class VdiHeaderFields {
    private static final String PRE_HEADER = "Pre-header (VDI)";

    private VdiHeaderFields() {
    }

    static List<HeaderField> of(VdiHeader header) {
        List<HeaderField> fields = new ArrayList<>();
        fields.add(new HeaderField(PRE_HEADER, "szFileInfo", header.text().strip(),
                "text for people reading the file; tools do not rely on it", 0));
        fields.add(new HeaderField(PRE_HEADER, "u32Signature", "0x%08x".formatted(header.signature()),
                "VDI signature 0xbeda107f", 64));
        fields.add(new HeaderField(PRE_HEADER, "u32Version", "%d.%d".formatted(header.major(), header.minor()),
                "header version (major.minor)", 68));
        if (header.major() == 0) {
            version0(header, fields);
        } else {
            version1(header, fields);
        }
        return List.copyOf(fields);
    }

    private static void version1(VdiHeader header, List<HeaderField> fields) {
        String group = "Header (VDI %d.%d)".formatted(header.major(), header.minor());
        add(fields, group, 72, "cbHeader", Integer.toUnsignedString(header.headerSize()) + " bytes",
                "size of the header (384 = 1.1, 400 = 1.1 with LCHS geometry)");
        common(header, fields, group, 76, 80, 84);
        add(fields, group, 340, "offBlocks", Units.hex(header.blocksOffset()), "where the block map starts");
        add(fields, group, 344, "offData", Units.hex(header.dataOffset()), "where the data blocks start");
        geometry(fields, group, 348, "LegacyGeometry", header.legacyGeometry(),
                "physical CHS geometry older versions stored; its sector size is the disk's (qemu needs 512)");
        add(fields, group, 364, "u32Dummy", Integer.toUnsignedString(header.dummy()),
                "was the BIOS translation mode, unused");
        sizes(header, fields, group, 368, 376, 380, 384, 388);
        uuids(header, fields, group, 392);
        add(fields, group, 440, "uuidParentModify", shown(header.parentModification()),
                "differencing images: the parent's last-modification UUID when this image was made");
        header.lchsGeometry().ifPresent(lchs -> geometry(fields, group, 456, "LCHSGeometry", lchs,
                "logical CHS geometry the BIOS reports (0/0/0: not calculated)"));
    }

    private static void version0(VdiHeader header, List<HeaderField> fields) {
        String group = "Header (VDI 0.%d)".formatted(header.minor());
        common(header, fields, group, 72, 76, 80);
        geometry(fields, group, 336, "LegacyGeometry", header.legacyGeometry(), "physical CHS geometry");
        sizes(header, fields, group, 352, 360, -1, 364, 368);
        uuids(header, fields, group, 372);
        fields.add(new HeaderField(group, "offBlocks", Units.hex(header.blocksOffset()),
                "where the block map starts: right after this header", -1));
        fields.add(new HeaderField(group, "offData", Units.hex(header.dataOffset()),
                "where the data blocks start: right after the block map", -1));
    }

    private static void common(VdiHeader header, List<HeaderField> fields, String group, long typeAt, long flagsAt,
                               long commentAt) {
        add(fields, group, typeAt, "u32Type", "%d (%s)".formatted(header.type(), VdiImage.typeName(header.type())),
                "1 dynamic (normal), 2 static (fixed), 3 undo, 4 differencing");
        add(fields, group, flagsAt, "fFlags", "0x%08x".formatted(header.flags()),
                "image flags (1: zero blocks on expansion, when the image was created)");
        add(fields, group, commentAt, "szComment", header.comment(), "the image's comment (UTF-8)");
    }

    /** The sizes and counts; {@code extraAt} is -1 where the header has no {@code cbBlockExtra} (version 0). */
    private static void sizes(VdiHeader header, List<HeaderField> fields, String group, long diskAt, long blockAt,
                              long extraAt, long blocksAt, long allocatedAt) {
        add(fields, group, diskAt, "cbDisk", "%s (%s)".formatted(Units.size(header.diskSize()),
                Units.exactBytes(header.diskSize())), "virtual disk size");
        add(fields, group, blockAt, "cbBlock", Units.size(header.blockSize()), "allocation block size");
        if (extraAt >= 0) {
            add(fields, group, extraAt, "cbBlockExtra", header.blockExtra() + " bytes",
                    "service data stored before each block's data (qemu ignores it)");
        }
        add(fields, group, blocksAt, "cBlocks", Long.toString(header.blocks()), "entries in the block map");
        add(fields, group, allocatedAt, "cBlocksAllocated", Long.toString(header.blocksAllocated()),
                "blocks stored in the data area");
    }

    private static void uuids(VdiHeader header, List<HeaderField> fields, String group, long at) {
        add(fields, group, at, "uuidCreate", shown(header.image()), "the image's UUID");
        add(fields, group, at + 16, "uuidModify", shown(header.modification()), "changes whenever the image is modified");
        add(fields, group, at + 32, "uuidLinkage", shown(header.link()),
                "differencing images: the parent's image UUID");
    }

    private static void geometry(List<HeaderField> fields, String group, long at, String name,
                                 VdiHeader.Geometry geometry, String description) {
        add(fields, group, at, name, geometry.toString(), description);
    }

    private static String shown(UUID uuid) {
        return VdiHeader.isNull(uuid) ? "none (all zero)" : uuid.toString();
    }

    private static void add(List<HeaderField> fields, String group, long at, String name, String value,
                            String description) {
        fields.add(new HeaderField(group, name, value, description, at));
    }
}

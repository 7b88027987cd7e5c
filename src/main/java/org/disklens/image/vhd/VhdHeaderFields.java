package org.disklens.image.vhd;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.HeaderField;
import org.disklens.image.Units;

/**
 * Every field of a VHD's footer, dynamic disk header and parent locators as stored, named as in the VHD
 * specification, with its byte offset in the file, for the header sheet.
 */
final class VhdHeaderFields {
    private static final String FOOTER = "Footer (VHD)";
    private static final String DYNAMIC = "Dynamic disk header (VHD)";
    private static final String LOCATORS = "Parent locators (VHD)";

    private VhdHeaderFields() {
    }

    static List<HeaderField> of(VhdImage image) {
        List<HeaderField> fields = new ArrayList<>();
        footer(image.footer(), image.footerOffset(), fields);
        image.dynamic().ifPresent(dynamic -> {
            dynamic(dynamic, fields);
            locators(dynamic, fields);
        });
        return List.copyOf(fields);
    }

    private static void footer(VhdFooter footer, long at, List<HeaderField> fields) {
        String where = at == 0 ? "the copy at the start of the file (qemu reads this one)" : "at the end of the file";
        add(fields, FOOTER, at, "Cookie", "conectix", "footer " + where);
        add(fields, FOOTER, at + 8, "Features", "0x%08x%s".formatted(footer.features(),
                (footer.features() & VhdFooter.FEATURE_TEMPORARY) != 0 ? " (temporary disk)" : ""),
                "bit 0: temporary disk; bit 1: reserved, always set");
        add(fields, FOOTER, at + 12, "File Format Version", version(footer.formatVersion()), "1.0");
        add(fields, FOOTER, at + 16, "Data Offset", footer.dataOffset() == VhdFooter.NO_DATA_OFFSET ? "none (all ones)"
                : Units.hex(footer.dataOffset()), "where the dynamic disk header is (fixed disks: none)");
        add(fields, FOOTER, at + 24, "Time Stamp", time(footer.timestamp()), "seconds since 2000-01-01 00:00:00 UTC");
        add(fields, FOOTER, at + 28, "Creator Application", "'%s'".formatted(footer.creatorAppText()),
                "vpc = Virtual PC, vs = Virtual Server, win = Windows/Hyper-V, qemu/qem2 = qemu, d2v = Disk2vhd");
        add(fields, FOOTER, at + 32, "Creator Version", version(footer.creatorVersion()), "major.minor");
        add(fields, FOOTER, at + 36, "Creator Host OS", "'%s'".formatted(footer.creatorOsText()), "Wi2k = Windows, Mac = Macintosh");
        add(fields, FOOTER, at + 40, "Original Size", bytes(footer.originalSize()), "size when the disk was created");
        add(fields, FOOTER, at + 48, "Current Size", bytes(footer.currentSize()),
                footer.sizedByCurrentSize() ? "the disk's size (qemu uses it for this creator or geometry)"
                        : "not used: qemu sizes this creator's disks by their geometry");
        add(fields, FOOTER, at + 56, "Disk Geometry", "%d cylinders, %d heads, %d sectors per track (%s)".formatted(
                footer.cylinders(), footer.heads(), footer.sectorsPerTrack(), bytes(footer.geometrySectors() * 512)),
                footer.sizedByCurrentSize() ? "CHS; qemu uses the current size instead" : "CHS: the disk's size");
        add(fields, FOOTER, at + 60, "Disk Type", "%d (%s)".formatted(Integer.toUnsignedLong(footer.diskType()),
                footer.typeName()), "2 fixed, 3 dynamic, 4 differencing");
        add(fields, FOOTER, at + 64, "Checksum", "0x%08x".formatted(footer.checksum()),
                "ones' complement of the footer's byte sum");
        add(fields, FOOTER, at + 68, "Unique Id", footer.uniqueId().toString(), "differencing children name it as parent");
        add(fields, FOOTER, at + 84, "Saved State", footer.savedState() != 0 ? "yes" : "no",
                "the virtual machine was saved with this disk");
    }

    private static void dynamic(VhdImage.Dynamic dynamic, List<HeaderField> fields) {
        DynamicHeader header = dynamic.header();
        long at = dynamic.headerOffset();
        add(fields, DYNAMIC, at, "Cookie", "cxsparse", "dynamic disk header");
        add(fields, DYNAMIC, at + 8, "Data Offset", header.dataOffset() == -1 ? "none (all ones)"
                : Units.hex(header.dataOffset()), "unused");
        add(fields, DYNAMIC, at + 16, "Table Offset", Units.hex(header.tableOffset()), "the block allocation table (BAT)");
        add(fields, DYNAMIC, at + 24, "Header Version", version(header.headerVersion()), "1.0");
        add(fields, DYNAMIC, at + 28, "Max Table Entries", Long.toString(header.maxTableEntries()), "entries in the BAT");
        add(fields, DYNAMIC, at + 32, "Block Size", "%s (%s)".formatted(Units.size(header.blockSize()),
                Units.exactBytes(header.blockSize())), "guest bytes per block, after a sector bitmap of %s"
                .formatted(Units.size(header.bitmapBytes())));
        add(fields, DYNAMIC, at + 36, "Checksum", "0x%08x".formatted(header.checksum()),
                "ones' complement of the header's byte sum");
        add(fields, DYNAMIC, at + 40, "Parent Unique ID", header.parentUuid().toString(),
                "differencing disks: the parent's unique id");
        add(fields, DYNAMIC, at + 56, "Parent Time Stamp", time(header.parentTimestamp()),
                "differencing disks: the parent's time stamp");
        add(fields, DYNAMIC, at + 64, "Parent Unicode Name", header.parentName().isEmpty() ? "(none)" : header.parentName(),
                "differencing disks: the parent's file name");
    }

    private static void locators(VhdImage.Dynamic dynamic, List<HeaderField> fields) {
        long at = dynamic.headerOffset() + DynamicHeader.LOCATORS_OFFSET;
        for (VhdImage.Locator locator : dynamic.locators()) {
            ParentLocator entry = locator.entry();
            String value = "'%s': %d bytes at %s%s".formatted(entry.platformName(), entry.dataLength(),
                    Units.hex(entry.dataOffset()), locator.path().map(path -> " → " + path).orElse(""));
            add(fields, LOCATORS, at + (long) locator.index() * ParentLocator.SIZE,
                    "Parent Locator Entry %d".formatted(locator.index() + 1), value,
                    "W2ru: relative Windows path, W2ku: absolute Windows path, MacX: file URL");
        }
    }

    private static void add(List<HeaderField> fields, String group, long offset, String name, String value, String description) {
        fields.add(new HeaderField(group, name, value, description, offset));
    }

    private static String version(int value) {
        return "%d.%d".formatted(value >>> 16, value & 0xffff);
    }

    private static String time(long vhdSeconds) {
        return "%s (%d)".formatted(Instant.ofEpochSecond(VhdFooter.VHD_EPOCH + vhdSeconds), vhdSeconds);
    }

    private static String bytes(long value) {
        return value < 0 ? Long.toUnsignedString(value) + " bytes" : "%s (%s)".formatted(Units.size(value), Units.exactBytes(value));
    }
}

package org.disklens.image.vhdx;

import java.util.ArrayList;
import java.util.List;
import org.disklens.image.HeaderField;
import org.disklens.image.Units;

/** Every VHDX header, region table and metadata field as stored, named as in MS-VHDX, with its file offset. */
final class VhdxHeaderFields {
    private VhdxHeaderFields() {
    }

    static List<HeaderField> of(VhdxImage image, String creator) {
        List<HeaderField> fields = new ArrayList<>();
        String identifier = "File type identifier (vhdx)";
        fields.add(new HeaderField(identifier, "Signature", "vhdxfile", "identifies a VHDX file", 0));
        fields.add(new HeaderField(identifier, "Creator", creator.isEmpty() ? "(none)" : creator,
                "the program that made the file (diagnostic only)", 8));
        VhdxHeader[] headers = image.headers();
        for (int i = 0; i < 2; i++) {
            header(fields, headers[i], i, i == image.currentHeaderIndex());
        }
        String regions = "Region table (vhdx)";
        for (int i = 0; i < image.regions().entries().size(); i++) {
            RegionTable.Entry entry = image.regions().entries().get(i);
            fields.add(new HeaderField(regions, entry.name(), "%s at %s%s".formatted(Units.size(entry.length()),
                    Units.hex(entry.fileOffset()), entry.required() ? ", required" : ""), entry.guid().braced(),
                    RegionTable.FIRST_OFFSET + 16 + i * 32L));
        }
        metadata(fields, image.metadata());
        return List.copyOf(fields);
    }

    private static void header(List<HeaderField> fields, VhdxHeader header, int index, boolean current) {
        String group = "Header %d (vhdx)%s".formatted(index + 1, current ? ", current" : header.valid() ? "" : ", not valid");
        long at = VhdxImage.headerOffset(index);
        fields.add(new HeaderField(group, "Checksum", "%08x%s".formatted(header.checksum(),
                header.checksumValid() ? " (valid)" : " (mismatch)"), "CRC-32C of the 4 KiB header", at + 4));
        fields.add(new HeaderField(group, "SequenceNumber", Long.toUnsignedString(header.sequenceNumber()),
                "the valid header with the higher number is current", at + 8));
        fields.add(new HeaderField(group, "FileWriteGuid", header.fileWriteGuid().toString(),
                "changes when the file is first written in a session", at + 16));
        fields.add(new HeaderField(group, "DataWriteGuid", header.dataWriteGuid().toString(),
                "changes when guest-visible data changes; differencing children link to it", at + 32));
        fields.add(new HeaderField(group, "LogGuid", header.logGuid().isZero() ? "0 (no log to replay)"
                : header.logGuid().toString(), "the log entries that belong to this file", at + 48));
        fields.add(new HeaderField(group, "LogVersion", Integer.toString(header.logVersion()), "0", at + 64));
        fields.add(new HeaderField(group, "Version", Integer.toString(header.version()), "1", at + 66));
        fields.add(new HeaderField(group, "LogLength", Units.size(header.logLength()), "size of the log", at + 68));
        fields.add(new HeaderField(group, "LogOffset", Units.hex(header.logOffset()), "where the log is", at + 72));
    }

    private static void metadata(List<HeaderField> fields, VhdxMetadata metadata) {
        String group = "Metadata (vhdx)";
        long base = metadata.regionOffset();
        for (VhdxMetadata.Item item : metadata.items()) {
            long at = base + item.offset();
            String value;
            if (item.guid().equals(VhdxMetadata.FILE_PARAMETERS)) {
                value = "block size %s%s%s".formatted(Units.size(metadata.blockSize()),
                        metadata.leaveBlocksAllocated() ? ", leave blocks allocated" : "", metadata.hasParent() ? ", has parent" : "");
            } else if (item.guid().equals(VhdxMetadata.VIRTUAL_DISK_SIZE)) {
                value = "%s (%s)".formatted(Units.size(metadata.virtualSize()), Units.exactBytes(metadata.virtualSize()));
            } else if (item.guid().equals(VhdxMetadata.VIRTUAL_DISK_ID)) {
                value = metadata.diskId().toString();
            } else if (item.guid().equals(VhdxMetadata.LOGICAL_SECTOR_SIZE)) {
                value = metadata.logicalSectorSize() + " bytes";
            } else if (item.guid().equals(VhdxMetadata.PHYSICAL_SECTOR_SIZE)) {
                value = Integer.toUnsignedString(metadata.physicalSectorSize()) + " bytes";
            } else if (item.guid().equals(VhdxMetadata.PARENT_LOCATOR) && metadata.parentLocator().isPresent()) {
                value = metadata.parentLocator().get().entries().toString();
            } else {
                value = "%d bytes".formatted(item.length());
            }
            String flags = (item.user() ? "user" : "system") + (item.virtualDisk() ? ", virtual disk" : "")
                    + (item.required() ? ", required" : "");
            fields.add(new HeaderField(group, item.name(), value, flags, item.length() == 0 ? -1 : at));
        }
    }
}

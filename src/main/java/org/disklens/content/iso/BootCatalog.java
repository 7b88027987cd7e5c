package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;

/**
 * The El Torito boot catalog ("El Torito" Bootable CD-ROM Format Specification 1.0): a validation entry,
 * the default entry, then section headers (0x90 more follow, 0x91 last) each with their entries.
 */
public record BootCatalog(long lba, List<Entry> entries) {
    static final int ENTRY = 32;
    /** Four sectors of 64 entries are far more than any real catalog holds. */
    static final int MAX_BYTES = 4 * VolumeDescriptors.SECTOR;

    /** One boot image. {@code loadSectors} counts 512-byte virtual sectors, as the spec does. */
    public record Entry(String platform, String emulation, int loadSegment, int loadSectors, long imageLba, boolean bootable) {
        public Map<String, Object> info() {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("platform", platform);
            info.put("emulation", emulation);
            info.put("load-size", loadSectors * 512L);
            info.put("lba", imageLba);
            info.put("bootable", bootable);
            return info;
        }
    }

    public static BootCatalog read(BlockSource source, long lba) throws IOException {
        long at = lba * VolumeDescriptors.SECTOR;
        if (lba <= 0 || at >= source.size() || at < 0) {
            throw new CorruptImage("iso", "El Torito boot catalog", at, "lies outside the image");
        }
        int length = (int) Math.min(MAX_BYTES, source.size() - at);
        return parse(source.read(at, length, ByteOrder.LITTLE_ENDIAN), lba, at);
    }

    static BootCatalog parse(ByteBuffer bytes, long lba, long hostOffset) throws ImageException {
        if (bytes.remaining() < 2 * ENTRY || bytes.get(0) != 1 || bytes.get(30) != 0x55 || bytes.get(31) != (byte) 0xAA) {
            throw new CorruptImage("iso", "El Torito boot catalog", hostOffset, "no validation entry");
        }
        int sum = 0;
        for (int i = 0; i < ENTRY; i += 2) {
            sum += Short.toUnsignedInt(bytes.getShort(i));
        }
        if ((sum & 0xffff) != 0) {
            throw new CorruptImage("iso", "El Torito boot catalog", hostOffset, "validation entry checksum is wrong");
        }
        List<Entry> entries = new ArrayList<>();
        String platform = platform(Byte.toUnsignedInt(bytes.get(1)));
        entries.add(entry(bytes, ENTRY, platform));
        int at = 2 * ENTRY;
        while (at + ENTRY <= bytes.limit()) {
            int indicator = Byte.toUnsignedInt(bytes.get(at));
            if (indicator != 0x90 && indicator != 0x91) {
                break;
            }
            String sectionPlatform = platform(Byte.toUnsignedInt(bytes.get(at + 1)));
            int count = Short.toUnsignedInt(bytes.getShort(at + 2));
            at += ENTRY;
            for (int i = 0; i < count && at + ENTRY <= bytes.limit(); i++, at += ENTRY) {
                int bootIndicator = Byte.toUnsignedInt(bytes.get(at));
                if (bootIndicator == 0x44) {
                    continue; // a section entry extension, not an image
                }
                entries.add(entry(bytes, at, sectionPlatform));
            }
            if (indicator == 0x91) {
                break;
            }
        }
        return new BootCatalog(lba, List.copyOf(entries));
    }

    private static Entry entry(ByteBuffer bytes, int at, String platform) {
        return new Entry(platform, emulation(Byte.toUnsignedInt(bytes.get(at + 1)) & 0x0f),
                Short.toUnsignedInt(bytes.getShort(at + 2)), Short.toUnsignedInt(bytes.getShort(at + 6)),
                Integer.toUnsignedLong(bytes.getInt(at + 8)), Byte.toUnsignedInt(bytes.get(at)) == 0x88);
    }

    private static String platform(int id) {
        return switch (id) {
            case 0 -> "BIOS";
            case 1 -> "PPC";
            case 2 -> "Mac";
            case 0xef -> "UEFI";
            default -> "0x%02x".formatted(id);
        };
    }

    private static String emulation(int media) {
        return switch (media) {
            case 0 -> "none";
            case 1 -> "1.2M floppy";
            case 2 -> "1.44M floppy";
            case 3 -> "2.88M floppy";
            case 4 -> "hard disk";
            default -> "unknown (%d)".formatted(media);
        };
    }
}

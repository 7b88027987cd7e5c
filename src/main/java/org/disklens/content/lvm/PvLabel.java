package org.disklens.content.lvm;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.OnDiskText;
import org.disklens.image.CorruptImage;

/**
 * A PV's label sector, checked as LVM checks it: the {@code label_header} ({@code LABELONE} in one of the first four
 * sectors, the sector number it claims, the CRC of the rest of the sector, type {@code LVM2 001}) and the
 * {@code pv_header} it points to (PV UUID, device size, the data areas and the metadata areas, each list ended by a
 * zero offset).
 *
 * @param sector        the sector (0 to 3) holding the label
 * @param uuid          the PV UUID as the metadata spells it, in 6-4-4-4-4-4-6 groups
 * @param deviceSize    the device size the PV was made on, in bytes
 * @param dataAreas     where the extents start (normally one area of size 0: to the end of the device)
 * @param metadataAreas the metadata areas (none, one at 4 KiB, maybe a second one at the device's end)
 */
record PvLabel(int sector, String uuid, long deviceSize, List<DiskArea> dataAreas, List<DiskArea> metadataAreas) {
    static final int SECTOR = 512;
    static final int SECTORS_SEARCHED = 4;
    static final int HEAD_BYTES = SECTOR * SECTORS_SEARCHED;
    private static final int LABEL_HEADER = 32;
    private static final int UUID_LENGTH = 32;
    private static final int LOCATION = 16;

    /**
     * The first valid label in {@code head} (the PV's first {@link #HEAD_BYTES}, little-endian); a label that fails a
     * check is skipped as LVM skips it, and the first failure is reported when no label is valid.
     */
    static PvLabel parse(ByteBuffer head, String where) throws CorruptImage {
        Optional<CorruptImage> firstProblem = Optional.empty();
        for (int sector = 0; sector < SECTORS_SEARCHED && (sector + 1) * SECTOR <= head.limit(); sector++) {
            int at = sector * SECTOR;
            if (!OnDiskText.ascii(head, at, 8).equals("LABELONE")) {
                continue;
            }
            try {
                return parseSector(head.slice(at, SECTOR).order(head.order()), sector, where);
            } catch (CorruptImage problem) {
                firstProblem = firstProblem.or(() -> Optional.of(problem));
            }
        }
        throw firstProblem.orElseGet(() -> new CorruptImage("lvm", "label of " + where, 0,
                "no LVM2 label (LABELONE) in the first four sectors"));
    }

    private static PvLabel parseSector(ByteBuffer label, int sector, String where) throws CorruptImage {
        String structure = "label of " + where;
        long offset = (long) sector * SECTOR;
        long claimed = label.getLong(8);
        if (claimed != sector) {
            throw new CorruptImage("lvm", structure, offset, "label says it is in sector %s".formatted(Long.toUnsignedString(claimed)));
        }
        int stored = label.getInt(16);
        int computed = Crc.of(label, 20, SECTOR - 20);
        if (stored != computed) {
            throw new CorruptImage("lvm", structure, offset, "checksum 0x%08x, expected 0x%08x".formatted(stored, computed));
        }
        String type = OnDiskText.ascii(label, 24, 8);
        if (!type.equals("LVM2 001")) {
            throw new CorruptImage("lvm", structure, offset, "label type \"%s\" is not LVM2 001".formatted(type.strip()));
        }
        long headerAt = Integer.toUnsignedLong(label.getInt(20));
        if (headerAt < LABEL_HEADER || headerAt > SECTOR - UUID_LENGTH - 8 - 2 * LOCATION) {
            throw new CorruptImage("lvm", structure, offset, "PV header offset %d lies outside the label sector"
                    .formatted(headerAt));
        }
        return parseHeader(label, (int) headerAt, sector, structure, offset);
    }

    private static PvLabel parseHeader(ByteBuffer label, int at, int sector, String structure, long offset)
            throws CorruptImage {
        String raw = OnDiskText.ascii(label, at, UUID_LENGTH);
        if (!raw.chars().allMatch(PvLabel::uuidCharacter)) {
            throw new CorruptImage("lvm", structure, offset + at, "the PV UUID is not LVM's text");
        }
        long deviceSize = label.getLong(at + UUID_LENGTH);
        int[] cursor = {at + UUID_LENGTH + 8};
        List<DiskArea> data = locations(label, cursor, structure, offset);
        List<DiskArea> metadata = locations(label, cursor, structure, offset);
        return new PvLabel(sector, formatUuid(raw), deviceSize, List.copyOf(data), List.copyOf(metadata));
    }

    /** One zero-terminated list of {@code disk_locn}, which must end inside the sector. */
    private static List<DiskArea> locations(ByteBuffer label, int[] cursor, String structure, long offset)
            throws CorruptImage {
        List<DiskArea> areas = new ArrayList<>();
        while (true) {
            if (cursor[0] + LOCATION > SECTOR) {
                throw new CorruptImage("lvm", structure, offset, "PV header's area list does not end inside the sector");
            }
            long areaOffset = label.getLong(cursor[0]);
            long areaSize = label.getLong(cursor[0] + 8);
            cursor[0] += LOCATION;
            if (areaOffset == 0) {
                return areas;
            }
            if (areaOffset < 0 || areaSize < 0) {
                throw new CorruptImage("lvm", structure, offset + cursor[0] - LOCATION,
                        "area at %s of %s bytes is out of range".formatted(Long.toUnsignedString(areaOffset),
                                Long.toUnsignedString(areaSize)));
            }
            areas.add(new DiskArea(areaOffset, areaSize));
        }
    }

    /** LVM's UUID characters ({@code id.c}): letters, digits, '!' and '#'. */
    private static boolean uuidCharacter(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '!' || c == '#';
    }

    static String formatUuid(String raw) {
        return raw.substring(0, 6) + "-" + raw.substring(6, 10) + "-" + raw.substring(10, 14) + "-"
                + raw.substring(14, 18) + "-" + raw.substring(18, 22) + "-" + raw.substring(22, 26) + "-"
                + raw.substring(26);
    }
}

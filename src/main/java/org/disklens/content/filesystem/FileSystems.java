package org.disklens.content.filesystem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.udf.UdfFileSystem;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;

/**
 * Recognises the file system or container at the start of a partition (or a whole disk) by its
 * signature, as blkid does: ext2/3/4, XFS, Btrfs, NTFS, FAT12/16/32, exFAT, swap, LVM2 PV, LUKS 1/2, ISO 9660
 * and UDF. Only superblocks are read: a few KiB, whatever the partition's size.
 */
public final class FileSystems {
    private FileSystems() {
    }

    public static Optional<FileSystemInfo> detect(BlockSource volume) throws IOException {
        long size = volume.size();
        if (size < 4096) {
            return Optional.empty();
        }
        ByteBuffer head = volume.read(0, (int) Math.min(size, 72 * 1024), ByteOrder.LITTLE_ENDIAN);
        for (Probe probe : PROBES) {
            Optional<FileSystemInfo> found = probe.detect(head, volume);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface Probe {
        Optional<FileSystemInfo> detect(ByteBuffer head, BlockSource volume) throws IOException;
    }

    private static final Probe[] PROBES = {
        FileSystems::luks, FileSystems::lvm, FileSystems::xfs, FileSystems::ext, FileSystems::btrfs, FileSystems::ntfs,
        FileSystems::exfat, FileSystems::fat, FileSystems::swap, FileSystems::udf, FileSystems::iso9660
    };

    // ---- Linux ----

    private static Optional<FileSystemInfo> ext(ByteBuffer head, BlockSource volume) {
        ByteBuffer sb = head.slice(1024, 1024).order(ByteOrder.LITTLE_ENDIAN);
        if (Short.toUnsignedInt(sb.getShort(56)) != 0xEF53) {
            return Optional.empty();
        }
        int compat = sb.getInt(92);
        int incompat = sb.getInt(96);
        long blockSize = 1024L << Math.min(sb.getInt(24), 16);
        boolean wide = (incompat & 0x80) != 0;
        long blocks = Integer.toUnsignedLong(sb.getInt(4)) | (wide ? Integer.toUnsignedLong(sb.getInt(0x150)) << 32 : 0);
        long free = Integer.toUnsignedLong(sb.getInt(12)) | (wide ? Integer.toUnsignedLong(sb.getInt(0x158)) << 32 : 0);
        String type = (incompat & (0x40 | 0x80 | 0x200)) != 0 ? "ext4" : (compat & 0x4) != 0 ? "ext3" : "ext2";
        return Optional.of(new FileSystemInfo(type, text(sb, 120, 16), uuid(sb, 104), OptionalLong.of(blocks * blockSize),
                OptionalLong.of((blocks - free) * blockSize)));
    }

    private static Optional<FileSystemInfo> xfs(ByteBuffer head, BlockSource volume) {
        ByteBuffer sb = head.slice(0, 512).order(ByteOrder.BIG_ENDIAN);
        if (sb.getInt(0) != 0x58465342) {
            return Optional.empty();
        }
        long blockSize = Integer.toUnsignedLong(sb.getInt(4));
        long blocks = sb.getLong(8);
        long free = sb.getLong(144);
        return Optional.of(new FileSystemInfo("xfs", text(sb, 108, 12), uuid(sb, 32), OptionalLong.of(blocks * blockSize),
                OptionalLong.of((blocks - free) * blockSize)));
    }

    private static Optional<FileSystemInfo> btrfs(ByteBuffer head, BlockSource volume) {
        if (head.limit() < 0x10000 + 0x300) {
            return Optional.empty();
        }
        ByteBuffer sb = head.slice(0x10000, 0x300).order(ByteOrder.LITTLE_ENDIAN);
        if (!ascii(sb, 0x40, 8).equals("_BHRfS_M")) {
            return Optional.empty();
        }
        return Optional.of(new FileSystemInfo("btrfs", text(sb, 0x12b, 256), uuid(sb, 0x20), OptionalLong.of(sb.getLong(0x70)),
                OptionalLong.of(sb.getLong(0x78))));
    }

    private static Optional<FileSystemInfo> swap(ByteBuffer head, BlockSource volume) {
        for (int pageSize : new int[] {4096, 8192, 16384, 65536}) {
            if (head.limit() >= pageSize && ascii(head, pageSize - 10, 10).equals("SWAPSPACE2")) {
                long lastPage = Integer.toUnsignedLong(head.getInt(1024 + 4));
                return Optional.of(new FileSystemInfo("swap", text(head, 1024 + 28, 16), uuid(head, 1024 + 12),
                        OptionalLong.of((lastPage + 1) * pageSize), OptionalLong.empty()));
            }
        }
        return Optional.empty();
    }

    private static Optional<FileSystemInfo> lvm(ByteBuffer head, BlockSource volume) {
        for (int sector = 0; sector < 4; sector++) {
            int at = sector * 512;
            if (ascii(head, at, 8).equals("LABELONE") && ascii(head, at + 24, 8).equals("LVM2 001")) {
                long content = at + Integer.toUnsignedLong(head.getInt(at + 20));
                if (content + 40 > head.limit()) {
                    return Optional.empty();
                }
                String raw = ascii(head, (int) content, 32);
                String uuid = raw.substring(0, 6) + "-" + raw.substring(6, 10) + "-" + raw.substring(10, 14) + "-"
                        + raw.substring(14, 18) + "-" + raw.substring(18, 22) + "-" + raw.substring(22, 26) + "-" + raw.substring(26);
                return Optional.of(new FileSystemInfo("LVM2_member", "", uuid, OptionalLong.of(head.getLong((int) content + 32)),
                        OptionalLong.empty()));
            }
        }
        return Optional.empty();
    }

    private static Optional<FileSystemInfo> luks(ByteBuffer head, BlockSource volume) {
        byte[] magic = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
        for (int i = 0; i < magic.length; i++) {
            if (head.get(i) != magic[i]) {
                return Optional.empty();
            }
        }
        int version = Short.toUnsignedInt(head.order(ByteOrder.BIG_ENDIAN).getShort(6));
        head.order(ByteOrder.LITTLE_ENDIAN);
        String label = version == 2 ? text(head, 24, 48) : "";
        return Optional.of(new FileSystemInfo("crypto_LUKS", label, text(head, 168, 40), OptionalLong.empty(), OptionalLong.empty()));
    }

    // ---- Windows ----

    private static Optional<FileSystemInfo> ntfs(ByteBuffer head, BlockSource volume) throws IOException {
        long sectorSize = Short.toUnsignedInt(head.getShort(11));
        // As blkid: a sector of 256 B to 4 KiB, a power of two; anything else is not an NTFS boot sector (and
        // a zero or tiny one would put the update-sequence fix-ups before the record's start).
        boolean validSector = sectorSize >= 256 && sectorSize <= 4096 && Long.bitCount(sectorSize) == 1;
        if (!ascii(head, 3, 8).equals("NTFS    ") || !validSector) {
            return Optional.empty();
        }
        long sectors = head.getLong(40);
        String serial = "%016X".formatted(head.getLong(72));
        return Optional.of(new FileSystemInfo("ntfs", ntfsLabel(head, volume, sectorSize), serial,
                OptionalLong.of(sectors * sectorSize), OptionalLong.empty()));
    }

    /** The label is the $VOLUME_NAME attribute (0x60) of MFT record 3, $Volume: one record read. */
    private static String ntfsLabel(ByteBuffer head, BlockSource volume, long sectorSize) throws IOException {
        long clusterSize = sectorSize * Byte.toUnsignedInt(head.get(13));
        int recordCode = head.get(64);
        long recordSize = recordCode < 0 ? 1L << -recordCode : recordCode * clusterSize;
        long at = head.getLong(48) * clusterSize + 3 * recordSize;
        if (recordSize < 512 || recordSize > 65536 || at < 0 || at + recordSize > volume.size()) {
            return "";
        }
        ByteBuffer record = volume.read(at, (int) recordSize, ByteOrder.LITTLE_ENDIAN);
        if (!ascii(record, 0, 4).equals("FILE") || !applyFixups(record, (int) sectorSize)) {
            return "";
        }
        int attribute = Short.toUnsignedInt(record.getShort(20));
        while (attribute + 24 <= record.limit()) {
            int type = record.getInt(attribute);
            long length = Integer.toUnsignedLong(record.getInt(attribute + 4));
            if (type == -1 || length < 24 || attribute + length > record.limit()) {
                return "";
            }
            if (type == 0x60 && record.get(attribute + 8) == 0) {
                int valueLength = record.getInt(attribute + 16);
                int valueOffset = Short.toUnsignedInt(record.getShort(attribute + 20));
                if (valueLength < 0 || attribute + valueOffset + valueLength > attribute + length) {
                    return "";
                }
                byte[] name = new byte[valueLength];
                record.get(attribute + valueOffset, name);
                return new String(name, StandardCharsets.UTF_16LE);
            }
            attribute += (int) length;
        }
        return "";
    }

    /** NTFS protects each sector's last two bytes with an update sequence; put the real bytes back. */
    private static boolean applyFixups(ByteBuffer record, int sectorSize) {
        int offset = Short.toUnsignedInt(record.getShort(4));
        int count = Short.toUnsignedInt(record.getShort(6));
        if (count == 0 || offset + count * 2 > record.limit() || (count - 1) * sectorSize > record.limit()) {
            return false;
        }
        short check = record.getShort(offset);
        for (int i = 1; i < count; i++) {
            int end = i * sectorSize - 2;
            if (record.getShort(end) != check) {
                return false;
            }
            record.putShort(end, record.getShort(offset + i * 2));
        }
        return true;
    }

    private static Optional<FileSystemInfo> exfat(ByteBuffer head, BlockSource volume) throws IOException {
        int sectorShift = head.get(108);
        int clusterShift = head.get(109);
        // The specification's ranges: 512 B to 4 KiB sectors, clusters up to 32 MiB. Outside them the boot
        // sector is not a valid exFAT one, and the shifts would overflow the sizes computed from them.
        boolean validShifts = sectorShift >= 9 && sectorShift <= 12 && clusterShift >= 0 && clusterShift <= 25 - sectorShift;
        if (!ascii(head, 3, 8).equals("EXFAT   ") || !validShifts) {
            return Optional.empty();
        }
        long sectorSize = 1L << sectorShift;
        int serial = head.getInt(100);
        return Optional.of(new FileSystemInfo("exfat", exfatLabel(head, volume, sectorSize, sectorSize << clusterShift),
                "%04X-%04X".formatted(serial >>> 16, serial & 0xffff), OptionalLong.of(head.getLong(72) * sectorSize),
                OptionalLong.empty()));
    }

    /** The label is a 0x83 entry in the root directory's first cluster. */
    private static String exfatLabel(ByteBuffer head, BlockSource volume, long sectorSize, long clusterSize)
            throws IOException {
        long heap = Integer.toUnsignedLong(head.getInt(88)) * sectorSize;
        long rootCluster = Integer.toUnsignedLong(head.getInt(96));
        long at = heap + (rootCluster - 2) * clusterSize;
        if (rootCluster < 2 || at < 0 || at > volume.size() - clusterSize) {
            return "";
        }
        ByteBuffer root = volume.read(at, (int) Math.min(clusterSize, 64 * 1024), ByteOrder.LITTLE_ENDIAN);
        for (int entry = 0; entry + 32 <= root.limit(); entry += 32) {
            int type = Byte.toUnsignedInt(root.get(entry));
            if (type == 0) {
                break;
            }
            if (type == 0x83) {
                int characters = Math.min(11, Byte.toUnsignedInt(root.get(entry + 1)));
                byte[] name = new byte[characters * 2];
                root.get(entry + 2, name);
                return new String(name, StandardCharsets.UTF_16LE);
            }
        }
        return "";
    }

    private static Optional<FileSystemInfo> fat(ByteBuffer head, BlockSource volume) throws IOException {
        if (head.get(510) != 0x55 || head.get(511) != (byte) 0xAA) {
            return Optional.empty();
        }
        boolean fat32 = ascii(head, 82, 8).equals("FAT32   ");
        boolean fat1x = ascii(head, 54, 5).equals("FAT12") || ascii(head, 54, 5).equals("FAT16");
        if (!fat32 && !fat1x) {
            return Optional.empty();
        }
        long sectorSize = Short.toUnsignedInt(head.getShort(11));
        long perCluster = Byte.toUnsignedInt(head.get(13));
        if (sectorSize < 512 || sectorSize > 4096 || perCluster == 0) {
            return Optional.empty();
        }
        long reserved = Short.toUnsignedInt(head.getShort(14));
        long fats = Byte.toUnsignedInt(head.get(16));
        long rootEntries = Short.toUnsignedInt(head.getShort(17));
        long total = Short.toUnsignedInt(head.getShort(19));
        total = total != 0 ? total : Integer.toUnsignedLong(head.getInt(32));
        long fatSectors = fat32 ? Integer.toUnsignedLong(head.getInt(36)) : Short.toUnsignedInt(head.getShort(22));
        long rootSectors = (rootEntries * 32 + sectorSize - 1) / sectorSize;
        long clusters = (total - reserved - fats * fatSectors - rootSectors) / perCluster;
        int serialAt = fat32 ? 67 : 39;
        int serial = head.getInt(serialAt);
        String label = text(head, serialAt + 4, 11);
        OptionalLong used = fat32 ? fat32Used(head, volume, sectorSize, clusters, perCluster) : OptionalLong.empty();
        return Optional.of(new FileSystemInfo("vfat", label.equals("NO NAME") ? "" : label,
                "%04X-%04X".formatted(serial >>> 16, serial & 0xffff), OptionalLong.of(total * sectorSize), used));
    }

    /** FAT32 keeps a free-cluster count in its FSInfo sector (0xFFFFFFFF: unknown). */
    private static OptionalLong fat32Used(ByteBuffer head, BlockSource volume, long sectorSize, long clusters, long perCluster)
            throws IOException {
        long infoSector = Short.toUnsignedInt(head.getShort(48));
        long at = infoSector * sectorSize;
        if (infoSector == 0 || at + 512 > volume.size()) {
            return OptionalLong.empty();
        }
        ByteBuffer info = volume.read(at, 512, ByteOrder.LITTLE_ENDIAN);
        if (info.getInt(0) != 0x41615252 || info.getInt(484) != 0x61417272) {
            return OptionalLong.empty();
        }
        long free = Integer.toUnsignedLong(info.getInt(488));
        return free == 0xffffffffL || free > clusters ? OptionalLong.empty()
                : OptionalLong.of((clusters - free) * perCluster * sectorSize);
    }

    // ---- optical ----

    /** UDF (bridge or alone): label from the logical volume, UUID from the volume set's first 16 characters, as blkid. */
    private static Optional<FileSystemInfo> udf(ByteBuffer head, BlockSource volume) throws IOException {
        if (!org.disklens.image.iso.VolumeDescriptors.hasUdfRecognition(volume) || UdfFileSystem.blockSize(volume).isEmpty()) {
            return Optional.empty();
        }
        UdfFileSystem udf;
        try {
            udf = UdfFileSystem.open(volume);
        } catch (ImageException unreadable) {
            return Optional.of(new FileSystemInfo("udf", "", "", OptionalLong.of(volume.size()), OptionalLong.empty()));
        }
        String set = udf.volumeSetId();
        String uuid = set.length() >= 16 && set.substring(0, 16).matches("[0-9A-Fa-f]{16}") ? set.substring(0, 16).toLowerCase() : "";
        return Optional.of(new FileSystemInfo("udf", udf.volumeId(), uuid, OptionalLong.of(volume.size()), OptionalLong.empty()));
    }

    private static Optional<FileSystemInfo> iso9660(ByteBuffer head, BlockSource volume) throws IOException {
        if (volume.size() < 0x8800) {
            return Optional.empty();
        }
        ByteBuffer descriptor = volume.read(0x8000, 2048, ByteOrder.LITTLE_ENDIAN);
        if (!ascii(descriptor, 1, 5).equals("CD001")) {
            return Optional.empty();
        }
        String created = ascii(descriptor, 813, 16);
        String uuid = created.matches("\\d{16}") ? "%s-%s-%s-%s-%s-%s-%s".formatted(created.substring(0, 4),
                created.substring(4, 6), created.substring(6, 8), created.substring(8, 10), created.substring(10, 12),
                created.substring(12, 14), created.substring(14, 16)) : "";
        boolean udf = false;
        for (int sector = 17; sector < 32 && (sector + 1) * 2048L <= volume.size(); sector++) {
            String id = ascii(volume.read(sector * 2048L, 8, ByteOrder.LITTLE_ENDIAN), 1, 5);
            udf |= id.equals("NSR02") || id.equals("NSR03");
        }
        long blocks = Integer.toUnsignedLong(descriptor.getInt(80));
        long blockSize = Short.toUnsignedInt(descriptor.getShort(128));
        return Optional.of(new FileSystemInfo(udf ? "udf" : "iso9660", text(descriptor, 40, 32), uuid,
                OptionalLong.of(blocks * blockSize), OptionalLong.empty()));
    }

    // ---- helpers ----

    private static String ascii(ByteBuffer bytes, int at, int length) {
        byte[] raw = new byte[length];
        bytes.get(at, raw);
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static String text(ByteBuffer bytes, int at, int length) {
        byte[] raw = new byte[length];
        bytes.get(at, raw);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8).strip();
    }

    /** A 16-byte UUID in the usual 8-4-4-4-12 lower-case spelling. */
    private static String uuid(ByteBuffer bytes, int at) {
        byte[] raw = new byte[16];
        bytes.get(at, raw);
        String hex = HexFormat.of().formatHex(raw);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-" + hex.substring(16, 20)
                + "-" + hex.substring(20);
    }
}

package org.disklens.content.partition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.disklens.io.BlockSource;

/**
 * The partition table of a disk: GPT (header and entry-array CRC32 checked; the backup at the disk's last
 * sector is used when the primary is damaged), else MBR with its extended/logical chain (loop-protected).
 * A protective MBR only announces GPT. Damaged tables give what can be trusted, never an exception for
 * ordinary garbage: a disk without a valid table simply has no partitions.
 */
public final class PartitionTables {
    static final int MAX_LOGICAL = 128;
    static final long MAX_GPT_ENTRIES = 4096;
    private static final byte[] GPT_SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);

    private PartitionTables() {
    }

    public static List<Partition> read(BlockSource disk) throws IOException {
        if (disk.size() < 1024) {
            return List.of();
        }
        ByteBuffer mbr = disk.read(0, 512, ByteOrder.LITTLE_ENDIAN);
        boolean mbrValid = mbr.get(510) == 0x55 && mbr.get(511) == (byte) 0xAA;
        for (int sectorSize : new int[] {512, 4096}) {
            List<Partition> gpt = gpt(disk, sectorSize);
            if (!gpt.isEmpty()) {
                return gpt;
            }
        }
        return mbrValid ? mbr(disk, mbr) : List.of();
    }

    // ---- GPT ----

    private static List<Partition> gpt(BlockSource disk, int sectorSize) throws IOException {
        long lastSector = disk.size() / sectorSize - 1;
        for (long headerSector : new long[] {1, lastSector}) {
            if (headerSector < 1 || (headerSector + 1) * sectorSize > disk.size()) {
                continue;
            }
            ByteBuffer header = disk.read(headerSector * sectorSize, sectorSize, ByteOrder.LITTLE_ENDIAN);
            Optional<List<Partition>> partitions = gptEntries(disk, header, sectorSize);
            if (partitions.isPresent()) {
                return partitions.get();
            }
        }
        return List.of();
    }

    /** The header's partitions, or empty when the header or its entry array fails its checks. */
    private static Optional<List<Partition>> gptEntries(BlockSource disk, ByteBuffer header, int sectorSize) throws IOException {
        for (int i = 0; i < GPT_SIGNATURE.length; i++) {
            if (header.get(i) != GPT_SIGNATURE[i]) {
                return Optional.empty();
            }
        }
        int headerSize = header.getInt(12);
        if (headerSize < 92 || headerSize > sectorSize) {
            return Optional.empty();
        }
        ByteBuffer checked = ByteBuffer.allocate(headerSize).order(ByteOrder.LITTLE_ENDIAN);
        checked.put(header.slice(0, headerSize)).putInt(16, 0);
        if (crc32(checked.array()) != header.getInt(16)) {
            return Optional.empty();
        }
        long entriesLba = header.getLong(72);
        long count = Integer.toUnsignedLong(header.getInt(80));
        long entrySize = Integer.toUnsignedLong(header.getInt(84));
        if (count > MAX_GPT_ENTRIES || entrySize < 128 || entrySize > 4096 || entrySize % 8 != 0 || entriesLba < 0) {
            return Optional.empty();
        }
        long arrayBytes = count * entrySize;
        long arrayOffset = entriesLba * sectorSize;
        if (entriesLba > disk.size() / sectorSize || arrayOffset + arrayBytes > disk.size()) {
            return Optional.empty();
        }
        ByteBuffer array = disk.read(arrayOffset, (int) arrayBytes, ByteOrder.LITTLE_ENDIAN);
        if (crc32(array.array()) != header.getInt(88)) {
            return Optional.empty();
        }
        List<Partition> partitions = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            ByteBuffer entry = array.slice((int) (index * entrySize), 128).order(ByteOrder.LITTLE_ENDIAN);
            String type = guid(entry, 0);
            if (type.equals("00000000-0000-0000-0000-000000000000")) {
                continue;
            }
            long first = entry.getLong(32);
            long last = entry.getLong(40);
            if (first < 0 || last < first || last > disk.size() / sectorSize) {
                continue;
            }
            partitions.add(new Partition(index + 1, "gpt", first * sectorSize, (last - first + 1) * sectorSize,
                    PartitionTypes.gpt(type), type, utf16(entry, 56, 72), (entry.getLong(48) & 4) != 0));
        }
        return Optional.of(partitions);
    }

    /** A GUID as text: the first three fields are stored little-endian, the rest as bytes. */
    static String guid(ByteBuffer bytes, int at) {
        return "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X".formatted(bytes.getInt(at),
                Short.toUnsignedInt(bytes.getShort(at + 4)), Short.toUnsignedInt(bytes.getShort(at + 6)),
                bytes.get(at + 8), bytes.get(at + 9), bytes.get(at + 10), bytes.get(at + 11), bytes.get(at + 12),
                bytes.get(at + 13), bytes.get(at + 14), bytes.get(at + 15));
    }

    private static String utf16(ByteBuffer bytes, int at, int length) {
        byte[] raw = new byte[length];
        bytes.get(at, raw);
        String text = new String(raw, StandardCharsets.UTF_16LE);
        int end = text.indexOf('\0');
        return end >= 0 ? text.substring(0, end) : text;
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    // ---- MBR ----

    private static List<Partition> mbr(BlockSource disk, ByteBuffer mbr) throws IOException {
        List<Partition> partitions = new ArrayList<>();
        for (int slot = 0; slot < 4; slot++) {
            ByteBuffer entry = mbr.slice(446 + slot * 16, 16).order(ByteOrder.LITTLE_ENDIAN);
            int type = Byte.toUnsignedInt(entry.get(4));
            long start = Integer.toUnsignedLong(entry.getInt(8)) * 512;
            long length = Integer.toUnsignedLong(entry.getInt(12)) * 512;
            if (type == 0 && length == 0) {
                continue;
            }
            partitions.add(mbrPartition(slot + 1, entry, 0));
            if (isExtended(type)) {
                logical(disk, start, partitions);
            }
        }
        return partitions;
    }

    private static Partition mbrPartition(int index, ByteBuffer entry, long base) {
        int type = Byte.toUnsignedInt(entry.get(4));
        return new Partition(index, "mbr", base + Integer.toUnsignedLong(entry.getInt(8)) * 512,
                Integer.toUnsignedLong(entry.getInt(12)) * 512, PartitionTypes.mbr(type), "0x%02x".formatted(type), "",
                Byte.toUnsignedInt(entry.get(0)) == 0x80);
    }

    private static boolean isExtended(int type) {
        return type == 0x05 || type == 0x0f || type == 0x85;
    }

    /** Logical partitions: a chain of extended boot records, each naming its partition and the next record. */
    private static void logical(BlockSource disk, long extendedStart, List<Partition> partitions) throws IOException {
        Set<Long> seen = new HashSet<>();
        long record = extendedStart;
        int index = 5;
        while (record > 0 && record + 512 <= disk.size() && seen.add(record) && index < 5 + MAX_LOGICAL) {
            ByteBuffer ebr = disk.read(record, 512, ByteOrder.LITTLE_ENDIAN);
            if (ebr.get(510) != 0x55 || ebr.get(511) != (byte) 0xAA) {
                return;
            }
            ByteBuffer first = ebr.slice(446, 16).order(ByteOrder.LITTLE_ENDIAN);
            if (Integer.toUnsignedLong(first.getInt(12)) > 0) {
                partitions.add(mbrPartition(index++, first, record));
            }
            ByteBuffer next = ebr.slice(462, 16).order(ByteOrder.LITTLE_ENDIAN);
            long nextOffset = Integer.toUnsignedLong(next.getInt(8)) * 512;
            record = nextOffset == 0 ? 0 : extendedStart + nextOffset;
        }
    }
}

package org.disklens.content.fat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The on-disk records decoded from bytes built here by fatgen103's rules (slots, checksums, dates, code page). */
class FatRecordsTest {
    /** fatgen103's ChkSum, written out again: each byte added to the sum rotated right by one bit. */
    private static int checksum(byte[] shortName) {
        int sum = 0;
        for (byte b : shortName) {
            sum = ((sum & 1) != 0 ? 0x80 : 0) + (sum >> 1) + (b & 0xff);
            sum &= 0xff;
        }
        return sum;
    }

    private static byte[] shortSlot(String name11, int attributes, int caseFlags, int cluster, long size) {
        ByteBuffer slot = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        slot.put(name11.getBytes(StandardCharsets.ISO_8859_1));
        slot.put(11, (byte) attributes).put(12, (byte) caseFlags);
        slot.putShort(20, (short) (cluster >>> 16)).putShort(26, (short) cluster).putInt(28, (int) size);
        slot.putShort(24, (short) ((41 << 9) | (3 << 5) | 4)).putShort(22, (short) ((5 << 11) | (6 << 5) | 3));
        return slot.array();
    }

    /** The long-name slots of {@code name} for a short entry with {@code checksum}, last part first, as on disk. */
    private static List<byte[]> longSlots(String name, int checksum) {
        char[] units = name.toCharArray();
        int count = (units.length + 12) / 13;
        int[] offsets = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
        List<byte[]> slots = new ArrayList<>();
        for (int order = count; order >= 1; order--) {
            ByteBuffer slot = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            slot.put(0, (byte) (order | (order == count ? 0x40 : 0))).put(11, (byte) 0x0F).put(13, (byte) checksum);
            for (int i = 0; i < 13; i++) {
                int at = (order - 1) * 13 + i;
                char unit = at < units.length ? units[at] : at == units.length ? 0 : (char) 0xFFFF;
                slot.putChar(offsets[i], unit);
            }
            slots.add(slot.array());
        }
        return slots;
    }

    private static List<DirectoryParser.Named> parse(List<byte[]> slots, List<String> warnings) {
        ByteBuffer directory = ByteBuffer.allocate(slots.size() * 32 + 64);
        slots.forEach(directory::put);
        return new DirectoryParser(true, "directory /t", warnings::add).parse(directory.flip().limit(directory.capacity()),
                slot -> 0x1000L + slot * 32L);
    }

    @Test
    void aLongNameOutsideTheBasicPlaneIsReadFromItsSurrogatePairs() {
        byte[] entry = shortSlot("SMILE~1 TXT", 0x20, 0, 7, 5);
        List<byte[]> slots = new ArrayList<>(longSlots("smile 😀 and a name longer than 13 units.txt",
                checksum("SMILE~1 TXT".getBytes(StandardCharsets.ISO_8859_1))));
        slots.add(entry);
        List<String> warnings = new ArrayList<>();
        List<DirectoryParser.Named> named = parse(slots, warnings);
        assertThat(named).singleElement().satisfies(one -> {
            assertThat(one.name()).isEqualTo("smile 😀 and a name longer than 13 units.txt");
            assertThat(one.entry().firstCluster()).isEqualTo(7);
            assertThat(one.entry().size()).isEqualTo(5);
            assertThat(one.volumeOffset()).isEqualTo(0x1000 + 4 * 32);
        });
        assertThat(warnings).isEmpty();
    }

    @Test
    void deletedEntriesTheLabelAndDotEntriesAreSkippedAndZeroEndsTheDirectory() {
        List<byte[]> slots = List.of(shortSlot(".          ", 0x10, 0, 5, 0), shortSlot("..         ", 0x10, 0, 0, 0),
                shortSlot("MYDISK     ", 0x08, 0, 0, 0), shortSlot("\u00e5GONE   TXT", 0x20, 0, 9, 1),
                shortSlot("KEPT    TXT", 0x20, 0, 10, 1), new byte[32], shortSlot("AFTER   TXT", 0x20, 0, 11, 1));
        List<String> warnings = new ArrayList<>();
        assertThat(parse(slots, warnings)).extracting(DirectoryParser.Named::name).containsExactly("KEPT.TXT");
        assertThat(warnings).isEmpty();
    }

    @Test
    void theNtFlagsLowerTheBaseTheExtensionOrBoth() {
        List<byte[]> slots = List.of(shortSlot("README  TXT", 0x20, 0x08, 3, 1), shortSlot("README  TXT", 0x20, 0x10, 3, 1),
                shortSlot("README  TXT", 0x20, 0x18, 3, 1), shortSlot("README  TXT", 0x20, 0, 3, 1),
                shortSlot("NOEXT      ", 0x20, 0x18, 3, 1));
        assertThat(parse(slots, new ArrayList<>())).extracting(DirectoryParser.Named::name)
                .containsExactly("readme.TXT", "README.txt", "readme.txt", "README.TXT", "noext");
    }

    @Test
    void shortNamesAreCodePage437AndALeading05StandsForE5() {
        Assumptions.assumeTrue(Charset.isSupported("IBM437"), "the JDK's IBM437 is not installed");
        Charset ibm437 = Charset.forName("IBM437");
        for (int value = 0x20; value < 0x100; value++) {
            String jdk = new String(new byte[] {(byte) value}, ibm437);
            assertThat(String.valueOf(Cp437.decode(value))).as("0x%02x", value).isEqualTo(value == 0x7f ? "\u007f" : jdk);
        }
        List<byte[]> slots = List.of(shortSlot("\u0005BC     TXT", 0x20, 0, 3, 1), shortSlot("\u0090T\u0082     TXT", 0x20, 0x18, 3, 1));
        assertThat(parse(slots, new ArrayList<>())).extracting(DirectoryParser.Named::name).containsExactly("σBC.TXT", "été.txt");
    }

    @Test
    void brokenLongNameRunsFallBackToTheShortNameWithWarnings() {
        int good = checksum("LONGNA~1TXT".getBytes(StandardCharsets.ISO_8859_1));
        List<byte[]> noFirstPart = new ArrayList<>(longSlots("a long name needing two slots.txt", good));
        noFirstPart.removeFirst();
        noFirstPart.add(shortSlot("LONGNA~1TXT", 0x20, 0, 3, 1));
        List<byte[]> wrongChecksum = new ArrayList<>(longSlots("a long name.txt", good ^ 1));
        wrongChecksum.add(shortSlot("LONGNA~1TXT", 0x20, 0, 3, 1));
        List<byte[]> slash = new ArrayList<>(longSlots("a/b", checksum("AB         ".getBytes(StandardCharsets.ISO_8859_1))));
        slash.add(shortSlot("AB         ", 0x20, 0, 3, 1));
        for (List<byte[]> slots : List.of(noFirstPart, wrongChecksum, slash)) {
            List<String> warnings = new ArrayList<>();
            assertThat(parse(slots, warnings)).extracting(DirectoryParser.Named::name)
                    .containsExactly(slots == slash ? "AB" : "LONGNA~1.TXT");
            assertThat(warnings).singleElement().asString().startsWith("vfat: directory /t at 0x10");
        }
    }

    @Test
    void datesKeepTwoSecondsAndImpossibleOnesAreNone() {
        assertThat(FatTime.decode((41 << 9) | (3 << 5) | 4, (5 << 11) | (6 << 5) | 3))
                .contains(Instant.parse("2021-03-04T05:06:06Z"));
        assertThat(FatTime.decode((127 << 9) | (12 << 5) | 31, (23 << 11) | (59 << 5) | 29))
                .contains(Instant.parse("2107-12-31T23:59:58Z"));
        assertThat(FatTime.decode(0, 0)).isEmpty();
        assertThat(FatTime.decode((41 << 9) | (13 << 5) | 4, 0)).isEmpty();
        assertThat(FatTime.decode((41 << 9) | (2 << 5) | 30, 0)).isEmpty();
        assertThat(FatTime.decode((41 << 9) | (2 << 5) | 3, 24 << 11)).isEmpty();
    }

    @Test
    void theKindFollowsFatgen103sClusterCountsAndEntryValues() {
        assertThat(FatKind.byClusterCount(4084)).isEqualTo(FatKind.FAT12);
        assertThat(FatKind.byClusterCount(4085)).isEqualTo(FatKind.FAT16);
        assertThat(FatKind.byClusterCount(65524)).isEqualTo(FatKind.FAT16);
        assertThat(FatKind.byClusterCount(65525)).isEqualTo(FatKind.FAT32);
        assertThat(FatKind.FAT12.classify(0xFF8, 4000)).isEqualTo(FatKind.Entry.END);
        assertThat(FatKind.FAT12.classify(0xFF7, 4000)).isEqualTo(FatKind.Entry.BAD);
        assertThat(FatKind.FAT12.classify(0xFA1, 4000)).isEqualTo(FatKind.Entry.RESERVED);
        assertThat(FatKind.FAT16.classify(0xFFF5, 65525)).isEqualTo(FatKind.Entry.NEXT);
        assertThat(FatKind.FAT16.classify(0xFFFF, 65525)).isEqualTo(FatKind.Entry.END);
        assertThat(FatKind.FAT32.classify(0x0FFFFFF8, 100)).isEqualTo(FatKind.Entry.END);
        assertThat(FatKind.FAT32.classify(1, 100)).isEqualTo(FatKind.Entry.RESERVED);
        assertThat(FatKind.FAT32.classify(0, 100)).isEqualTo(FatKind.Entry.FREE);
    }
}

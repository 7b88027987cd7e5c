package org.disklens.content.ntfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/** The on-disk structures decoded from bytes, with the examples of the specifications they follow. */
class NtfsRecordsTest {
    static final String WHERE = "test";

    /** [MS-XCA] 3.3: the 59-byte LZNT1 example decodes to its 142-byte string. */
    @Test
    void lznt1DecodesTheSpecificationsExample() throws CorruptImage {
        byte[] compressed = HexFormat.of().parseHex("38b08846232000204720410010a24701a045204400084501507900c045200524138805b4024a44ef0358028c091601484500be009e000401189000");
        String expected = "F# F# G A A G F# E D D E F# F# E E F# F# G A A G F# E D D E F# E D D E E F# D E F# G F# D E F# G F# E D "
                + "E A F# F# G A A G F# E D D E F# E D D\0";
        byte[] output = new byte[4096];
        Lznt1.decode(compressed, output, 0);
        assertThat(new String(output, 0, 142, StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat(output).endsWith(new byte[4096 - 142]);
    }

    @Test
    void lznt1StoredChunksAndEarlyEndsLeaveZeroes() throws CorruptImage {
        byte[] stored = new byte[2 + 4096 + 2];
        stored[0] = (byte) 0xFF;
        stored[1] = 0x3F; // 0x3FFF: uncompressed, 4096 bytes
        for (int i = 0; i < 4096; i++) {
            stored[2 + i] = (byte) i;
        }
        byte[] output = new byte[3 * 4096];
        Lznt1.decode(stored, output, 0);
        assertThat(output[4095]).isEqualTo((byte) 4095);
        assertThat(Arrays.copyOfRange(output, 4096, output.length)).containsOnly(0);
    }

    @Test
    void lznt1RefusesABackReferenceBeforeItsChunk() {
        // Header: compressed, 3 body bytes; flags 0x01: the first token is a back-reference with nothing decoded.
        byte[] bad = {0x02, (byte) 0xB0, 0x01, 0x00, 0x00};
        assertThatThrownBy(() -> Lznt1.decode(bad, new byte[4096], 0x1000))
                .isInstanceOf(CorruptImage.class).hasMessageContaining("before the start of its chunk");
    }

    @Test
    void lznt1NeverWritesPastItsUnit() throws CorruptImage {
        // A literal then a back-reference of length 4098 (12 length bits: 0xFFF + 3) into a 16-byte unit.
        byte[] long_ = {0x04, (byte) 0xB0, 0x02, 'a', (byte) 0xFF, 0x0F};
        byte[] output = new byte[16];
        Lznt1.decode(long_, output, 0);
        assertThat(new String(output, StandardCharsets.US_ASCII)).isEqualTo("a".repeat(16));
    }

    /** The libfsntfs document's examples: {@code 21 02 35 52} is 2 clusters at 21045; deltas are signed. */
    @Test
    void runListsDecodeRelativeSignedOffsetsAndSparseRuns() throws ImageException {
        RunList.Builder builder = new RunList.Builder(() -> WHERE);
        byte[] pairs = HexFormat.of().parseHex("210235520102" + "2110c8db" + "00");
        RunList.decode(pairs, 0, 100_000, builder, () -> WHERE, -1);
        RunList runs = builder.build();
        assertThat(runs.count()).isEqualTo(3);
        assertThat(List.of(runs.vcn(0), runs.lcn(0), runs.length(0))).containsExactly(0L, 21045L, 2L);
        assertThat(runs.sparse(1)).isTrue();
        assertThat(runs.length(1)).isEqualTo(2);
        assertThat(List.of(runs.vcn(2), runs.lcn(2), runs.length(2))).containsExactly(4L, 21045L - 0x2438, 16L);
        assertThat(runs.find(3)).isEqualTo(1);
        assertThat(runs.find(20)).isEqualTo(-1);
    }

    @Test
    void runListsRefuseZeroLengthsAndRunsPastTheVolume() {
        assertThatThrownBy(() -> RunList.decode(HexFormat.of().parseHex("11000400"), 0, 100, new RunList.Builder(() -> WHERE),
                () -> WHERE, -1)).isInstanceOf(CorruptImage.class).hasMessageContaining("a run of 0 clusters");
        assertThatThrownBy(() -> RunList.decode(HexFormat.of().parseHex("11106000"), 0, 100, new RunList.Builder(() -> WHERE),
                () -> WHERE, -1)).isInstanceOf(CorruptImage.class).hasMessageContaining("past the volume's 100 clusters");
        assertThatThrownBy(() -> RunList.decode(HexFormat.of().parseHex("0901"), 0, 100, new RunList.Builder(() -> WHERE),
                () -> WHERE, -1)).isInstanceOf(CorruptImage.class).hasMessageContaining("field sizes");
        assertThatThrownBy(() -> RunList.decode(HexFormat.of().parseHex("2101"), 0, 100, new RunList.Builder(() -> WHERE),
                () -> WHERE, -1)).isInstanceOf(CorruptImage.class).hasMessageContaining("runs past the attribute");
    }

    @Test
    void adjacentRunsMergeSoMapsAnswerWholeRuns() throws ImageException {
        RunList.Builder builder = new RunList.Builder(() -> WHERE);
        builder.add(0, 10, 4);
        builder.add(4, 14, 4);
        builder.add(10, RunList.SPARSE, 2);
        RunList runs = builder.build();
        assertThat(runs.count()).isEqualTo(2);
        assertThat(runs.length(0)).isEqualTo(8);
        assertThat(runs.sparse(1)).as("the gap at VCN 8 and the sparse run after it").isTrue();
        assertThat(runs.length(1)).isEqualTo(4);
    }

    /** FILETIME 0 is 1601-01-01; 116444736000000000 is the Unix epoch; 100 ns units are kept. */
    @Test
    void fileTimesKeepTheirHundredNanoseconds() {
        assertThat(StandardInformation.time(0)).isEqualTo(Instant.parse("1601-01-01T00:00:00Z"));
        assertThat(StandardInformation.time(116_444_736_000_000_001L)).isEqualTo(Instant.parse("1970-01-01T00:00:00.0000001Z"));
        assertThat(StandardInformation.time(-1)).isAfter(Instant.parse("+30000-01-01T00:00:00Z"));
    }

    @Test
    void reparsePointsGiveTheTargetsNtfs3gShows() throws CorruptImage {
        assertThat(ReparsePoint.parse(NtfsTestImages.symlinkReparse("..\\a\\b", "..\\a\\b", true), WHERE).linkTarget())
                .hasValue("../a/b");
        assertThat(ReparsePoint.parse(NtfsTestImages.symlinkReparse("\\??\\c:\\x\\y", "c:\\x\\y", false), WHERE)
                .linkTarget()).hasValue("C:/x/y");
        assertThat(ReparsePoint.parse(NtfsTestImages.junctionReparse("\\??\\D:\\Data", "D:\\Data"), WHERE).linkTarget())
                .hasValue("D:/Data");
        ByteBuffer wsl = ByteBuffer.allocate(8 + 4 + 7).order(ByteOrder.LITTLE_ENDIAN);
        wsl.putInt(0xA000001D).putShort((short) 11).putShort((short) 0).putInt(2).put("/target".getBytes(StandardCharsets.UTF_8));
        assertThat(ReparsePoint.parse(wsl.array(), WHERE).linkTarget()).hasValue("/target");
        byte[] truncated = NtfsTestImages.symlinkReparse("..\\a", "..\\a", true);
        truncated[8 + 2] = (byte) 0xF0; // substitute name length past the data
        truncated[8 + 6] = (byte) 0xF0;
        assertThat(ReparsePoint.parse(truncated, WHERE).linkTarget()).isEmpty();
    }

    @Test
    void recordsWithATornSectorOrNoEndAreDamage() {
        ByteBuffer record = emptyRecord();
        record.putShort(510, (short) 0x7777);
        assertThatThrownBy(() -> MftRecord.parse(record, 42, 0x10000)).isInstanceOf(CorruptImage.class)
                .hasMessage("ntfs: MFT record 42 at 0x101fe: update sequence mismatch in its sector 0 (a torn write or damage)");
        ByteBuffer zeroLength = emptyRecord();
        zeroLength.putInt(56, 0x10).putInt(60, 0);
        assertThatThrownBy(() -> MftRecord.parse(zeroLength, 42, 0).attributes()).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("length 0 does not fit the record");
    }

    @Test
    void aSoundRecordHasItsHeaderFields() throws CorruptImage {
        ByteBuffer bytes = emptyRecord();
        MftRecord record = MftRecord.parse(bytes, 42, 0);
        assertThat(record.inUse()).isTrue();
        assertThat(record.directory()).isFalse();
        assertThat(record.linkCount()).isEqualTo(1);
        assertThat(record.sequence()).isEqualTo(3);
        assertThat(record.attributes()).isEmpty();
        assertThat(bytes.getShort(510)).as("fix-up restored").isEqualTo((short) 0x1234);
    }

    /** A directory index whose only sub-node points at itself lists nothing, warns, and ends. */
    @Test
    void anIndexWhoseSubnodeLoopsEndsWithAWarning() throws Exception {
        Geometry geometry = new Geometry(512, 4096, 1000, 4, 0, 1024);
        ByteBuffer root = ByteBuffer.allocate(16 + 16 + 24).order(ByteOrder.LITTLE_ENDIAN);
        root.putInt(0, 0x30).putInt(4, 1).putInt(8, 4096).putInt(12, 1);
        root.putInt(16, 16).putInt(20, 16 + 24).putInt(24, 16 + 24).putInt(28, 1);
        root.putShort(32 + 8, (short) 24).putInt(32 + 12, IndexEntry.SUBNODE | IndexEntry.LAST).putLong(32 + 16, 0);
        IndexRoot indexRoot = IndexRoot.parse(root.array(), WHERE, -1);
        ByteBuffer block = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        block.put(0, "INDX".getBytes(StandardCharsets.US_ASCII)).putShort(4, (short) 40).putShort(6, (short) 9);
        block.putLong(16, 0).putInt(24, 40).putInt(28, 40 + 24).putInt(32, 4096 - 24).putInt(36, 1);
        block.putShort(24 + 40 + 8, (short) 24).putInt(24 + 40 + 12, IndexEntry.SUBNODE | IndexEntry.LAST)
                .putLong(24 + 40 + 16, 0);
        for (int sector = 0; sector < 8; sector++) {
            block.putShort(40 + 2 + 2 * sector, block.getShort(sector * 512 + 510));
            block.putShort(sector * 512 + 510, (short) 0x0101);
        }
        block.putShort(40, (short) 0x0101);
        Attribute allocation = new Attribute(MftRecord.INDEX_ALLOCATION, "$I30", 0, 0, true, block.array(), 0, -1, 0,
                4096, 4096, 4096, null, 1, -1);
        List<String> warnings = new ArrayList<>();
        List<IndexEntry> entries = new ArrayList<>();
        new DirectoryIndex(new MemoryBlockSource("volume", new byte[0]), geometry, indexRoot,
                Optional.of(DataStream.of(List.of(allocation), geometry)), Optional.empty(), WHERE, warnings::add)
                .walk(entries::add);
        assertThat(entries).isEmpty();
        assertThat(warnings).singleElement().asString().contains("VCN 0", "reached a second time");
    }

    /** A 1 KiB record: "FILE", update sequence at 48 (3 entries), first attribute at 56 (the end marker). */
    private static ByteBuffer emptyRecord() {
        ByteBuffer record = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        record.put(0, "FILE".getBytes(StandardCharsets.US_ASCII)).putShort(4, (short) 48).putShort(6, (short) 3);
        record.putShort(16, (short) 3).putShort(18, (short) 1).putShort(20, (short) 56).putShort(22, (short) 1);
        record.putInt(24, 64).putInt(28, 1024).putInt(56, -1);
        record.putShort(48, (short) 0x0007).putShort(50, (short) 0x1234).putShort(52, (short) 0x5678);
        record.putShort(510, (short) 0x0007).putShort(1022, (short) 0x0007);
        return record;
    }
}

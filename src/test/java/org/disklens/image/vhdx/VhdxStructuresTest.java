package org.disklens.image.vhdx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.disklens.image.CorruptImage;
import org.disklens.image.HostRegion;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/** The records' bytes, the in-memory overlay, and what an image built from the spec answers, fed as byte arrays. */
class VhdxStructuresTest {
    static final int MIB = 1 << 20;

    @Test
    void guidsAreMicrosoftsMixedEndianBytes() {
        Guid bat = RegionTable.BAT;
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bat.encode(bytes, 0);
        assertThat(bytes.array()).startsWith(0x66, 0x77, 0xc2, 0x2d, 0x23, 0xf6, 0x00, 0x42, 0x9d, 0x64);
        assertThat(bat.toString()).isEqualTo("2dc27766-f623-4200-9d64-115e9bfd4a08");
        assertThat(Guid.fromText(bat.braced())).isEqualTo(bat);
        Guid random = Guid.random();
        assertThat(Guid.fromText(random.toString())).isEqualTo(random);
    }

    @Test
    void headersRoundTripWithTheirChecksum() {
        VhdxHeader header = VhdxHeader.of(42, Guid.random(), Guid.random(), MIB, MIB);
        ByteBuffer bytes = header.encode();
        VhdxHeader parsed = VhdxHeader.parse(bytes);
        assertThat(parsed.valid()).isTrue();
        assertThat(parsed.sequenceNumber()).isEqualTo(42);
        assertThat(parsed.dataWriteGuid()).isEqualTo(header.dataWriteGuid());
        bytes.put(100, (byte) 1);
        assertThat(VhdxHeader.parse(bytes).problem()).isEqualTo("checksum mismatch");
    }

    @Test
    void theHigherValidHeaderIsCurrentAndEqualNumbersMustBeEqualHeaders() throws Exception {
        VhdxHeader low = VhdxHeader.parse(VhdxHeader.of(1, Guid.random(), Guid.random(), MIB, MIB).encode());
        VhdxHeader high = VhdxHeader.parse(VhdxHeader.of(2, Guid.random(), Guid.random(), MIB, MIB).encode());
        assertThat(VhdxImage.currentHeader(new VhdxHeader[] {low, high})).isEqualTo(1);
        assertThat(VhdxImage.currentHeader(new VhdxHeader[] {high, low})).isZero();
        assertThat(VhdxImage.currentHeader(new VhdxHeader[] {low, low})).isZero();
        VhdxHeader other = VhdxHeader.parse(VhdxHeader.of(1, Guid.random(), Guid.random(), MIB, MIB).encode());
        assertThatThrownBy(() -> VhdxImage.currentHeader(new VhdxHeader[] {low, other})).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("both headers have sequence number 1 but differ");
    }

    @Test
    void regionTablesRoundTrip() throws Exception {
        RegionTable table = new RegionTable(List.of(new RegionTable.Entry(RegionTable.BAT, 2L * MIB, MIB, true),
                new RegionTable.Entry(RegionTable.METADATA, 3L * MIB, MIB, true)));
        RegionTable parsed = RegionTable.parse(table.encode(), RegionTable.FIRST_OFFSET);
        assertThat(parsed).isEqualTo(table);
        assertThat(parsed.bat(0).fileOffset()).isEqualTo(2L * MIB);
    }

    @Test
    void parentLocatorsRoundTripAndNameTheParent() throws Exception {
        ParentLocator locator = new ParentLocator(ParentLocator.VHDX_TYPE, Map.of("relative_path", "..\\disks\\base.vhdx"));
        ParentLocator parsed = ParentLocator.parse(locator.encode(), 0);
        assertThat(parsed.parentName()).hasValue("../disks/base.vhdx");
        ParentLocator absolute = new ParentLocator(ParentLocator.VHDX_TYPE, Map.of("absolute_win32_path",
                "\\\\?\\D:\\vms\\base.vhdx"));
        assertThat(absolute.parentName()).hasValue("base.vhdx");
        ByteBuffer bad = locator.encode().order(ByteOrder.LITTLE_ENDIAN);
        bad.putInt(ParentLocator.HEADER_SIZE, 1 << 20);
        assertThatThrownBy(() -> ParentLocator.parse(bad, 0)).hasMessageContaining("outside the item");
    }

    @Test
    void laterLogWritesWinOverEarlierOnesAndTheFileStaysAsItWas() throws IOException {
        byte[] original = new byte[64];
        java.util.Arrays.fill(original, (byte) 1);
        ReplayedSource replayed = new ReplayedSource(new MemoryBlockSource("f", original));
        replayed.write(8, 16, filled(16, 2));
        replayed.write(12, 4, null);
        replayed.write(20, 60, filled(60, 3));
        ByteBuffer all = ByteBuffer.allocate(80);
        replayed.read(0, all);
        byte[] expected = new byte[80];
        java.util.Arrays.fill(expected, 0, 8, (byte) 1);
        java.util.Arrays.fill(expected, 8, 12, (byte) 2);
        java.util.Arrays.fill(expected, 16, 20, (byte) 2);
        java.util.Arrays.fill(expected, 20, 80, (byte) 3);
        assertThat(all.array()).isEqualTo(expected);
        assertThat(replayed.size()).isEqualTo(80);
        assertThat(original).containsOnly((byte) 1);
    }

    @Test
    void stateRunsAndPayloadStatesMapAsTheSpecSays() throws IOException {
        byte[] image = new VhdxBuilder(6L * MIB, MIB).block(0, Bat.ZERO, null).block(1, Bat.ZERO, null)
                .block(2, Bat.FULLY_PRESENT, filled(MIB, 9)).block(3, Bat.FULLY_PRESENT, filled(MIB, 8))
                .block(4, Bat.UNMAPPED, null).build();
        try (VhdxImage vhdx = open(image)) {
            assertThat(vhdx.map(0, 6L * MIB)).isEqualTo(new Mapping.Zero(2L * MIB));
            Mapping data = vhdx.map(2L * MIB, 6L * MIB);
            assertThat(data).isInstanceOf(Mapping.Data.class);
            assertThat(data.length()).as("blocks stored one after the other are one run").isEqualTo(2L * MIB);
            assertThat(vhdx.map(4L * MIB, MIB)).isEqualTo(new Mapping.Zero(MIB));
            assertThat(vhdx.map(5L * MIB, MIB)).isEqualTo(new Mapping.Unallocated(MIB));
            assertThat(vhdx.check(ProgressListener.NONE).orElseThrow().corruptions()).isZero();
        }
    }

    @Test
    void hostRegionsCoverTheFileOnce() throws IOException {
        byte[] image = new VhdxBuilder(4L * MIB, MIB).block(1, Bat.FULLY_PRESENT, filled(MIB, 9)).build();
        List<long[]> runs = new ArrayList<>();
        List<HostRegion> kinds = new ArrayList<>();
        try (VhdxImage vhdx = open(image)) {
            vhdx.describeHost((region, offset, length) -> {
                runs.add(new long[] {offset, length});
                kinds.add(region);
            }, ProgressListener.NONE);
        }
        long at = 0;
        for (long[] run : runs) {
            assertThat(run[0]).isEqualTo(at);
            at += run[1];
        }
        assertThat(at).isEqualTo(image.length);
        assertThat(kinds).contains(VhdxRegions.HEADERS, VhdxRegions.REGION_TABLES, VhdxRegions.BAT, VhdxRegions.METADATA,
                VhdxRegions.DATA);
        assertThat(runs.get(kinds.indexOf(VhdxRegions.DATA))).containsExactly(MIB, MIB);
    }

    @Test
    void hugeSparseDisksOpenAtOnce() throws IOException {
        long size = 64L << 40;
        long batBytes = VhdxBuilder.roundUp((size / MIB + size / MIB / 4096) * 8, 4096);
        // a 64 TiB disk of 1 MiB blocks has a 512 MiB BAT: build only its header part and read the BAT lazily
        byte[] header = new VhdxBuilder(1L * MIB, MIB).build();
        ByteBuffer file = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long start = System.nanoTime();
        assertThat(batBytes).isGreaterThan(500L << 20);
        try (VhdxImage vhdx = open(header)) {
            assertThat(vhdx.virtualSize()).isEqualTo(MIB);
        }
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(file.capacity()).isLessThan(2 * MIB);
    }

    static VhdxImage open(byte[] image) throws IOException {
        return (VhdxImage) new VhdxFormat().open(new MemoryBlockSource("test.vhdx", image), OpenContext.refuseAll());
    }

    static byte[] filled(int length, int value) {
        return VhdxDifferencingTest.filled(length, value);
    }
}

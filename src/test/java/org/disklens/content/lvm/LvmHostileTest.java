package org.disklens.content.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.disklens.content.lvm.LvmImages.inner;
import static org.disklens.content.lvm.LvmTools.linear;
import static org.disklens.content.lvm.LvmTools.lv;
import static org.disklens.content.lvm.LvmTools.striped;
import static org.disklens.content.lvm.PvBuilder.pv;
import static org.disklens.content.lvm.PvBuilder.vg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.io.MemoryBlockSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile and damaged PVs: PvBuilder writes LVM's structures with one field broken at a time, and the fixtures made
 * by LVM's tools get bytes poked into them. Each must end in one clear ImageException or a sound partial answer (the
 * LVs that damage touches refused with the reason), within seconds.
 */
class LvmHostileTest {
    private static final String UUID = "PVuuid0123456789abcdefghijklmnop";
    private static final String OTHER = "OTHERuuid0123456789abcdefghijklm";
    private static final int DEVICE = 4 << 20;
    /** 4 MiB device, pe_start 1 MiB (2048 sectors), 1 MiB extents (2048 sectors): three extents. */
    private static final String PV0 = pv("pv0", UUID, 2048, 3);

    @Test
    void linearAndStripedLvsOfASyntheticPvReadWhereTheyShould() throws IOException {
        byte[] device = new PvBuilder().text(61440, vg("vg", 2048, PV0, lv("a", true, linear(0, 1, "pv0", 2))
                + lv("s", true, striped(0, 2, 8, "pv0", 0, "pv0", 1)))).build(DEVICE);
        for (int i = 0; i < 3 << 20; i++) {
            device[(1 << 20) + i] = (byte) (i / 4096 + i / (1 << 20) * 7);
        }
        VolumeContainer.Group group = open(device);
        Volume a = inner(group, "a").volume().orElseThrow();
        assertThat(LvmImages.read(a.bytes(), 0, 1 << 20)).isEqualTo(slice(device, 3 << 20, 1 << 20));
        assertThat(a.placement().at(5, 100)).as("partition 1 starts at 1 MiB").isEqualTo(
                new Placement.GuestRun((1 << 20) + (3 << 20) + 5, 100));
        Volume s = inner(group, "s").volume().orElseThrow();
        assertThat(LvmImages.read(s.bytes(), 4096, 4096)).isEqualTo(slice(device, (2 << 20) + 0, 4096));
        assertThat(LvmImages.read(s.bytes(), 8192, 4096)).isEqualTo(slice(device, (1 << 20) + 4096, 4096));
        assertThat(s.placement().at(4096 + 10, 1 << 20)).isEqualTo(
                new Placement.GuestRun((1 << 20) + (2 << 20) + 10, 4096 - 10));
    }

    @Test
    void deepNestingIsALimit() {
        String text = "vg {" + "a {".repeat(50_000) + "}".repeat(50_001);
        assertRefused(new PvBuilder().text(1 << 20, text).build(DEVICE), LimitExceeded.class, "sections nested deeper");
    }

    @Test
    void aTenMebibyteStringIsALimit() {
        String text = vg("vg", 2048, PV0, "").replace("\"test\"", "\"" + "x".repeat(10 << 20) + "\"");
        assertRefused(new PvBuilder().text(12 << 20, text).build(16 << 20), LimitExceeded.class, "string longer than");
    }

    @Test
    void segmentsPastTheirPvOrTheVolumeRefuseOnlyTheirLv() throws IOException {
        String lvs = lv("fine", true, linear(0, 1, "pv0", 0))
                + lv("pastExtents", true, linear(0, 2, "pv0", 2))
                + lv("pastVolume", true, linear(0, 1, "pv1", 3))
                + lv("hugeStart", true, linear(0, 1, "pv0", Long.MAX_VALUE - 1))
                + lv("unknownPv", true, linear(0, 1, "pv7", 0));
        String pvs = PV0 + pv("pv1", UUID.replace('P', 'Q'), 2048, 100);
        byte[] device = new PvBuilder().text(61440, vg("vg", 2048, pvs, lvs)).build(DEVICE);
        byte[] other = new PvBuilder().uuid(UUID.replace('P', 'Q')).text(61440, vg("vg", 2048, pvs, lvs)).build(DEVICE);
        VolumeContainer.Group group = open(device, other);
        assertThat(inner(group, "fine").volume()).isPresent();
        assertThat(inner(group, "pastExtents").unreadable()).contains(
                "damaged metadata: segment1 uses extents 2 to 3 of pv0, which has 3");
        assertThat(inner(group, "pastVolume").unreadable()).contains(
                "segment1 runs past the end of PV pv1 (Partition 2, 4194304 bytes)");
        assertThat(inner(group, "hugeStart").unreadable()).contains(
                "damaged metadata: segment1 uses extents 9223372036854775806 to 9223372036854775806 of pv0, which has 3");
        assertThat(inner(group, "unknownPv").unreadable()).contains(
                "damaged metadata: segment1 names pv7, which the VG does not list");
    }

    @Test
    void overlapsGapsAndMiscountedSegmentsRefuseTheirLvs() throws IOException {
        String overlapping = lv("overlapping", true, linear(0, 2, "pv0", 0), linear(1, 1, "pv0", 2))
                .replace("segment_count = 2", "segment_count = 2");
        String lvs = overlapping
                + lv("gap", true, linear(0, 1, "pv0", 0), linear(2, 1, "pv0", 1))
                + lv("miscounted", true, linear(0, 1, "pv0", 0)).replace("segment_count = 1", "segment_count = 4")
                + lv("claimsA", true, linear(0, 2, "pv1", 0)) + lv("claimsB", true, linear(0, 1, "pv1", 1))
                + lv("unevenStripes", true, striped(0, 3, 8, "pv1", 3, "pv1", 6));
        String pvs = PV0 + pv("pv1", OTHER, 2048, 3);
        byte[] device = new PvBuilder().text(61440, vg("vg", 2048, pvs, lvs)).build(DEVICE);
        byte[] other = new PvBuilder().uuid(OTHER).build(DEVICE);
        VolumeContainer.Group group = open(device, other);
        assertThat(inner(group, "overlapping").unreadable()).contains(
                "damaged metadata: segment2 (from extent 1) overlaps segment1 (extents 0 to 1)");
        assertThat(inner(group, "gap").unreadable()).contains("damaged metadata: extents 1 to 1 of the LV are in no segment");
        assertThat(inner(group, "miscounted").unreadable()).contains(
                "damaged metadata: segment_count is 4 but 1 segments are listed");
        assertThat(inner(group, "claimsA").unreadable()).contains("damaged metadata: its extents 0 to 1 of pv1 are also LV claimsB's");
        assertThat(inner(group, "claimsB").unreadable()).contains("damaged metadata: its extents 1 to 1 of pv1 are also LV claimsA's");
        assertThat(inner(group, "unevenStripes").unreadable()).contains(
                "damaged metadata: segment1's 3 extents do not divide into 2 stripes");
    }

    @Test
    void ringPointersOutsideTheAreaOrLargerThanTheRingAreCorrupt() {
        String text = vg("vg", 2048, PV0, "");
        assertRefused(poke(new PvBuilder().text(61440, text).build(DEVICE), 4096 + 40, 61440 + 512), CorruptImage.class,
                "lies outside the area");
        assertRefused(poke(new PvBuilder().text(61440, text).build(DEVICE), 4096 + 40, 100), CorruptImage.class,
                "lies outside the area");
        assertRefused(poke(new PvBuilder().text(61440, text).build(DEVICE), 4096 + 48, 61440), CorruptImage.class,
                "does not fit its 60928-byte buffer");
        assertRefused(poke(new PvBuilder().text(61440, text).build(DEVICE), 4096 + 32, 1L << 40), CorruptImage.class,
                "run past the end of the PV");
    }

    @Test
    void textThatWrapsAroundTheRingReads() throws IOException {
        String text = vg("vg", 2048, PV0, lv("a", true, linear(0, 1, "pv0", 0)));
        byte[] device = new PvBuilder().area(4096, 8192, 8192 - 300, text).build(DEVICE);
        assertThat(inner(open(device), "a").volume()).isPresent();
    }

    @Test
    void checksumMismatchesAreCorrupt() {
        byte[] device = new PvBuilder().text(61440, vg("vg", 2048, PV0, "")).build(DEVICE);
        assertRefused(flip(device, 512 + 100), CorruptImage.class, "label of Partition 1 at 0x200: checksum");
        assertRefused(flip(device, 4096 + 100), CorruptImage.class, "header checksum");
        assertRefused(flip(device, 4096 + 512 + 10), CorruptImage.class, "metadata text checksum");
    }

    @Test
    void theHighestSeqnoOfTwoValidCopiesWinsAndABadCopyGivesWay() throws IOException {
        String older = vg("vg", 2048, PV0, lv("old", true, linear(0, 1, "pv0", 0)));
        String newer = vg("vg", 2048, PV0, lv("new", true, linear(0, 1, "pv0", 0))).replace("seqno = 3", "seqno = 4");
        byte[] device = new PvBuilder().area(4096, 61440, 512, older).area(65536, 61440, 512, newer).build(DEVICE);
        assertThat(open(device).volumes()).extracting(VolumeContainer.Inner::name).containsExactly("new");
        byte[] damagedNewer = flip(device, 65536 + 512 + 20);
        assertThat(open(damagedNewer).volumes()).extracting(VolumeContainer.Inner::name).containsExactly("old");
    }

    @Test
    void absurdExtentSizesAndCountsAreClearErrorsOrRefusedLvs() throws IOException {
        assertRefused(new PvBuilder().text(61440, vg("vg", 1L << 60, PV0, "")).build(DEVICE), CorruptImage.class,
                "extent_size 1152921504606846976 is out of range");
        assertRefused(new PvBuilder().text(61440, vg("vg", 0, PV0, "")).build(DEVICE), CorruptImage.class,
                "extent_size 0 is out of range");
        String lvs = lv("huge", true, linear(0, Long.MAX_VALUE / 2, "pv0", 0));
        VolumeContainer.Group group = open(new PvBuilder().text(61440, vg("vg", 1L << 40, pv("pv0", UUID, 2048,
                Long.MAX_VALUE), lvs)).build(DEVICE));
        assertThat(inner(group, "huge").unreadable()).contains("damaged metadata: extent numbers out of range");
        assertThat(inner(group, "huge").size()).isZero();
    }

    @Test
    void thousandsOfPvsAndLvsStayFast() throws IOException {
        StringBuilder pvs = new StringBuilder(PV0);
        StringBuilder lvs = new StringBuilder();
        for (int i = 1; i < 5000; i++) {
            pvs.append(pv("pv" + i, "%032d".formatted(i), 2048, 1000));
            lvs.append(lv("lv" + i, true, striped(0, 4, 8, "pv" + i, 0, "pv" + (5000 - i), 0)));
        }
        String text = vg("vg", 2048, pvs.toString(), lvs.toString());
        long start = System.nanoTime();
        VolumeContainer.Group group = open(new PvBuilder().text(16 << 20, text).build(20 << 20));
        assertThat(group.volumes()).hasSize(4999).allSatisfy(inner -> assertThat(inner.unreadable()).hasValueSatisfying(
                reason -> assertThat(reason).endsWith("4999 of 5000 PVs are not in this image")));
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void aLabelInSectorThreePointingOutsideItsSectorIsCorrupt() {
        PvBuilder builder = new PvBuilder().text(61440, vg("vg", 2048, PV0, ""));
        builder.labelSector = 3;
        builder.headerOffset = 0xffffff00L;
        assertRefused(builder.build(DEVICE), CorruptImage.class, "at 0x600: PV header offset 4294967040 lies outside");
    }

    @Test
    void anOrphanPvMakesNoGroup() throws IOException {
        byte[] device = new PvBuilder().text(61440, "").build(DEVICE);
        ByteBuffer.wrap(device).order(ByteOrder.LITTLE_ENDIAN).putLong(4096 + 40, 0).putLong(4096 + 48, 0);
        PvBuilder.rechecksum(ByteBuffer.wrap(device), 4096);
        assertThat(new LvmType().open(List.of(member("1", device)))).isEmpty();
    }

    @Test
    void aMemberWithADamagedLabelIsNamedByTheLvsThatNeedIt() throws IOException {
        String text = vg("vg", 2048, PV0 + pv("pv1", OTHER, 2048, 3), lv("needsOther", true, linear(0, 1, "pv1", 0))
                + lv("own", true, linear(0, 1, "pv0", 0)));
        byte[] device = new PvBuilder().text(61440, text).build(DEVICE);
        byte[] other = flip(new PvBuilder().uuid(OTHER).build(DEVICE), 512 + 300);
        VolumeContainer.Group group = new LvmType().open(List.of(member("1", device), member("2", other))).getFirst();
        assertThat(group.memberIds()).containsExactly("1", "2");
        assertThat(inner(group, "own").volume()).isPresent();
        assertThat(inner(group, "needsOther").unreadable()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("needs PV pv1 (uuid OTHERu-uid0-1234-5678-9abc-defg-hijklm), whose label cannot be read: "
                        + "lvm: label of Partition 2 at 0x200: checksum"));
        assertThatThrownBy(() -> new LvmType().open(List.of(member("2", other)))).isInstanceOf(CorruptImage.class);
    }

    @Test
    void pokedBytesInAFixtureMadeByLvmAreCaught() throws IOException {
        byte[] fixture = Files.readAllBytes(LvmImages.fixture("whole-disk-pv.img"));
        for (int at = 0; at < 8192; at += 11) {
            assertSoundAnswer(flip(fixture, at));
        }
    }

    /** LVM's own text with characters of its language poked in, checksums made right again: the parser's turn. */
    @Test
    void pokedMetadataTextWithRightChecksumsGivesSoundAnswers() throws IOException {
        byte[] fixture = Files.readAllBytes(LvmImages.fixture("whole-disk-pv.img"));
        ByteBuffer header = ByteBuffer.wrap(fixture).order(ByteOrder.LITTLE_ENDIAN);
        int text = 4096 + (int) header.getLong(4096 + 40);
        int length = (int) header.getLong(4096 + 48);
        byte[] alphabet = "{}[]=\",#0123456789-azV \n\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 400; round++) {
            byte[] poked = fixture.clone();
            for (int i = 0; i < 1 + round % 3; i++) {
                poked[text + random.nextInt(length - 1)] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteBuffer buffer = ByteBuffer.wrap(poked).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt(4096 + 56, Crc.of(buffer, text, length));
            PvBuilder.rechecksum(buffer, 4096);
            assertSoundAnswer(poked);
        }
    }

    /** An ImageException naming lvm, or groups whose readable LVs read, in well under the time bound. */
    private static void assertSoundAnswer(byte[] device) throws IOException {
        long start = System.nanoTime();
        try {
            for (VolumeContainer.Group group : new LvmType().open(List.of(member("0", device)))) {
                for (VolumeContainer.Inner inner : group.volumes()) {
                    assertThat(inner.volume().isPresent()).isNotEqualTo(inner.unreadable().isPresent());
                    if (inner.volume().isPresent()) {
                        var bytes = inner.volume().get().bytes();
                        LvmImages.read(bytes, 0, (int) Math.min(bytes.size(), 4096));
                    }
                }
            }
        } catch (ImageException expected) {
            assertThat(expected.getMessage()).startsWith("lvm: ");
        }
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    private static VolumeContainer.Group open(byte[]... devices) throws IOException {
        List<Volume> members = new java.util.ArrayList<>();
        for (int i = 0; i < devices.length; i++) {
            members.add(member(Integer.toString(i + 1), devices[i]));
        }
        List<VolumeContainer.Group> groups = new LvmType().open(members);
        assertThat(groups).hasSize(1);
        return groups.getFirst();
    }

    private static Volume member(String id, byte[] device) {
        MemoryBlockSource source = new MemoryBlockSource("hostile.img", device);
        return new Volume(id, id.equals("0") ? "whole disk" : "Partition " + id, Optional.empty(), source,
                Placement.contiguous(Integer.parseInt(id) << 20), Optional.empty());
    }

    private static void assertRefused(byte[] device, Class<? extends ImageException> type, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> new LvmType().open(List.of(member("1", device)))).isInstanceOf(type)
                .hasMessageStartingWith("lvm: ").hasMessageContaining(message);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    private static byte[] poke(byte[] device, int at, long value) {
        byte[] copy = device.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        PvBuilder.rechecksum(ByteBuffer.wrap(copy), 4096);
        return copy;
    }

    private static byte[] flip(byte[] device, int at) {
        byte[] copy = device.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    private static byte[] slice(byte[] bytes, int at, int length) {
        return java.util.Arrays.copyOfRange(bytes, at, at + length);
    }
}

package org.disklens.content.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.content.lvm.LvmImages.fixture;
import static org.disklens.content.lvm.LvmImages.inner;
import static org.disklens.content.lvm.LvmImages.pattern;
import static org.disklens.content.lvm.LvmImages.read;
import static org.disklens.content.lvm.LvmImages.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.DiskLayout;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.io.BlockSource;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.junit.jupiter.api.Test;

/**
 * The checked-in fixtures (make-fixtures.sh: real PVs and VGs made by LVM2's tools, cut after their last data) read
 * through DiskLayout as the commands read disks, compared with what lvs, vgs, pvs and pvck said about them when they
 * were made, and with the bytes the script wrote into the LVs. Runs anywhere: no tool is needed.
 */
class LvmFixturesTest {
    private static final String READS = "; DiskLens reads linear and striped LVs";

    @Test
    void aWholeDiskPvListsEveryVisibleLvAsLvsDoes() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(fixture("whole-disk-pv.img"))) {
            List<Volume> volumes = DiskLayout.read(disk);
            assertThat(volumes).singleElement().satisfies(volume -> {
                assertThat(volume.id()).isEqualTo("0");
                assertThat(volume.filesystem().orElseThrow().type()).isEqualTo("LVM2_member");
            });
            VolumeContainer.Group group = single(DiskLayout.groups(volumes));
            assertAgreesWithLvm(group, "whole-disk-pv", List.of("0"));
            assertThat(inner(group, "thin1").unreadable()).contains("thin volume (needs its pool's metadata)" + READS);
            assertThat(inner(group, "pool").unreadable()).hasValueSatisfying(reason -> assertThat(reason).startsWith("thin pool"));
            assertThat(inner(group, "snap").unreadable())
                    .contains("snapshot of LV origin (needs its origin and its exception store)" + READS);
            assertThat(inner(group, "mirrored").unreadable()).contains("RAID volume (raid1)" + READS);
            assertThat(inner(group, "far").unreadable()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("runs past the end of PV pv0 (whole disk, 294912 bytes)"));
            for (String lv : List.of("lin", "two", "origin")) {
                Volume volume = inner(group, lv).volume().orElseThrow();
                assertThat(volume.id()).isEqualTo("fixvg/" + lv);
                assertThat(volume.description()).isEqualTo("LV fixvg/" + lv);
                assertThat(volume.partition()).isEmpty();
                assertThat(read(volume.bytes(), 0, (int) volume.bytes().size()))
                        .isEqualTo(pattern(lv, 0, (int) volume.bytes().size()));
            }
        }
    }

    @Test
    void placementFollowsTheSegmentsOntoTheDisk() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(fixture("whole-disk-pv.img"))) {
            VolumeContainer.Group group = single(DiskLayout.groups(DiskLayout.read(disk)));
            long peStart = report("whole-disk-pv", "pvs").getFirst().get("pe_start").asLong();
            long extent = report("whole-disk-pv", "vgs").getFirst().get("vg_extent_size").asLong();
            Placement two = inner(group, "two").volume().orElseThrow().placement();
            Map<Long, Long> firstPeOfSegment = segmentStarts("whole-disk-pv", "two");
            assertThat(two.at(0, 1 << 20)).isEqualTo(new Placement.GuestRun(peStart + firstPeOfSegment.get(0L) * extent,
                    extent));
            assertThat(two.at(extent + 100, 1 << 20)).isEqualTo(new Placement.GuestRun(
                    peStart + firstPeOfSegment.get(1L) * extent + 100, 2 * extent - 100));
            assertSamePlacedBytes(disk, inner(group, "two").volume().orElseThrow());
        }
    }

    @Test
    void metadataThatWrapsAroundItsRingIsReadWithTheSeqnoVgsReports() throws IOException {
        String pvck = Files.readString(fixture("wrapped-pv.pvck.txt"));
        long ring = number(pvck, "mda_header_1.size (\\d+)");
        long offset = number(pvck, "raw_locn\\[0\\].offset (\\d+)");
        long size = number(pvck, "raw_locn\\[0\\].size (\\d+)");
        assertThat(offset + size).as("the fixture's committed metadata wraps").isGreaterThan(ring);
        try (FileBlockSource disk = FileBlockSource.open(fixture("wrapped-pv.img"))) {
            List<Volume> volumes = DiskLayout.read(disk);
            VolumeContainer.Group group = single(DiskLayout.groups(volumes));
            assertAgreesWithLvm(group, "wrapped-pv", List.of("0"));
            PhysicalVolume pv = PhysicalVolume.read(volumes.getFirst());
            MetadataArea.Copy copy = MetadataArea.read(pv, pv.label().metadataAreas().getFirst()).orElseThrow();
            assertThat(copy.vg().seqno()).isEqualTo(report("wrapped-pv", "vgs").getFirst().get("vg_seqno").asLong());
            Volume lin = inner(group, "lin").volume().orElseThrow();
            assertThat(read(lin.bytes(), 0, (int) lin.bytes().size())).isEqualTo(pattern("lin", 0, (int) lin.bytes().size()));
        }
    }

    @Test
    void twoPvsOnTwoGptPartitionsMakeOneGroupWithStripedAndSpanningLvs() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(fixture("gpt-two-pvs.img"))) {
            List<Volume> volumes = DiskLayout.read(disk);
            assertThat(volumes).extracting(Volume::id).containsExactly("1", "2");
            VolumeContainer.Group group = single(DiskLayout.groups(volumes));
            assertAgreesWithLvm(group, "gpt-two-pvs", List.of("1", "2"));
            for (String lv : List.of("striped", "span")) {
                Volume volume = inner(group, lv).volume().orElseThrow();
                int size = (int) volume.bytes().size();
                assertThat(read(volume.bytes(), 0, size)).as(lv).isEqualTo(pattern(lv, 0, size));
                assertSamePlacedBytes(disk, volume);
            }
            assertThat(DiskLayout.allVolumes(disk)).extracting(Volume::id).containsExactly("1", "2", "duo/striped", "duo/span");
        }
    }

    @Test
    void lvsOnPvsThatAreNotInTheImageSayWhichPvTheyNeed() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(fixture("missing-pv.img"))) {
            VolumeContainer.Group group = single(DiskLayout.groups(DiskLayout.read(disk)));
            assertAgreesWithLvm(group, "missing-pv", List.of("0"));
            List<JsonNode> pvs = report("missing-pv", "pvs");
            assertThat(inner(group, "gone").unreadable()).contains("needs PV pv1 (uuid %s), 2 of 3 PVs are not in this image"
                    .formatted(pvs.get(1).get("pv_uuid").asText()));
            assertThat(inner(group, "across").unreadable()).contains(
                    "needs PV pv2 (uuid %s), 2 of 3 PVs are not in this image".formatted(pvs.get(2).get("pv_uuid").asText()));
            Volume here = inner(group, "here").volume().orElseThrow();
            assertThat(read(here.bytes(), 0, 32768)).isEqualTo(pattern("here", 0, 32768));
        }
    }

    @Test
    void infoJsonGivesEachPvPartitionItsGroupAsVgsAndLvsReportIt() throws IOException {
        JsonNode partitions = Cli.run("info", "--json", fixture("gpt-two-pvs.img").toString()).json().get("partitions");
        JsonNode vgs = report("gpt-two-pvs", "vgs").getFirst();
        List<JsonNode> visible = LvmImages.visible(report("gpt-two-pvs", "lvs"));
        assertThat(partitions).hasSize(2);
        for (JsonNode partition : partitions) {
            JsonNode lvm = partition.get("lvm");
            assertThat(lvm.get("vg").asText()).isEqualTo(vgs.get("vg_name").asText());
            assertThat(lvm.get("pvs").asInt()).isEqualTo(vgs.get("pv_count").asInt());
            assertThat(lvm.get("extent-size").asLong()).isEqualTo(vgs.get("vg_extent_size").asLong());
            assertThat(lvm.get("lvs")).hasSize(visible.size());
            for (JsonNode lv : lvm.get("lvs")) {
                JsonNode reported = visible.stream().filter(candidate -> candidate.get("lv_name").asText()
                        .equals(lv.get("name").asText())).findFirst().orElseThrow();
                assertThat(lv.get("size").asLong()).isEqualTo(reported.get("lv_size").asLong());
                assertThat(lv.get("segments").asInt()).isEqualTo(reported.get("seg_count").asInt());
            }
        }
    }

    @Test
    void theExtentsNoLvUsesAreFreeAsTheSegmentsReportSays() throws IOException {
        JsonNode pvs = report("whole-disk-pv", "pvs").getFirst();
        long extentSize = report("whole-disk-pv", "vgs").getFirst().get("vg_extent_size").asLong();
        long peStart = pvs.get("pe_start").asLong();
        java.util.BitSet used = new java.util.BitSet();
        for (JsonNode segment : report("whole-disk-pv", "segs")) {
            Matcher range = Pattern.compile("/dev/[^:]+:(\\d+)-(\\d+)").matcher(segment.get("seg_pe_ranges").asText());
            while (range.find()) {
                used.set(Integer.parseInt(range.group(1)), Integer.parseInt(range.group(2)) + 1);
            }
        }
        List<long[]> expected = new java.util.ArrayList<>();
        int count = pvs.get("pv_pe_count").asInt();
        for (int free = used.nextClearBit(0); free < count; free = used.nextClearBit(free)) {
            int end = Math.min(count, used.nextSetBit(free) < 0 ? count : used.nextSetBit(free));
            expected.add(new long[] {peStart + free * extentSize, (end - free) * extentSize});
            free = end;
        }
        List<long[]> reported = new java.util.ArrayList<>();
        try (FileBlockSource disk = FileBlockSource.open(fixture("whole-disk-pv.img"))) {
            new LvmType().freeRanges(disk, (offset, length) -> reported.add(new long[] {offset, length}),
                    org.disklens.image.ProgressListener.NONE);
        }
        assertThat(reported).isNotEmpty().usingElementComparator(java.util.Arrays::compare).isEqualTo(expected);
    }

    /** The group's facts and visible LVs (names, sizes, segment counts) against the fixture's vgs and lvs reports. */
    private static void assertAgreesWithLvm(VolumeContainer.Group group, String fixture, List<String> members)
            throws IOException {
        JsonNode vgs = report(fixture, "vgs").getFirst();
        assertThat(group.kind()).isEqualTo("lvm");
        assertThat(List.copyOf(group.facts().keySet())).containsExactly("vg", "pvs", "extent-size");
        assertThat(group.facts().get("vg")).isEqualTo(vgs.get("vg_name").asText());
        assertThat(group.facts().get("pvs")).isEqualTo(vgs.get("pv_count").asInt());
        assertThat(group.facts().get("extent-size")).isEqualTo(vgs.get("vg_extent_size").asLong());
        assertThat(group.memberIds()).isEqualTo(members);
        List<JsonNode> visible = LvmImages.visible(report(fixture, "lvs"));
        assertThat(group.volumes()).extracting(VolumeContainer.Inner::name)
                .containsExactlyInAnyOrderElementsOf(visible.stream().map(lv -> lv.get("lv_name").asText()).toList());
        for (JsonNode lv : visible) {
            VolumeContainer.Inner inner = inner(group, lv.get("lv_name").asText());
            assertThat(inner.size()).as(inner.name()).isEqualTo(lv.get("lv_size").asLong());
            assertThat(inner.segments()).as(inner.name()).isEqualTo(lv.get("seg_count").asInt());
            assertThat(inner.volume().isPresent()).as(inner.name()).isNotEqualTo(inner.unreadable().isPresent());
            inner.volume().ifPresent(volume -> assertThat(volume.detected()).isEmpty());
        }
    }

    /** Every 4 KiB of the LV, read through its placement on the disk, equals the LV's own bytes. */
    static void assertSamePlacedBytes(BlockSource disk, Volume volume) throws IOException {
        long size = volume.bytes().size();
        for (long at = 0; at < size; ) {
            Placement.GuestRun run = volume.placement().at(at, size - at);
            assertThat(run.length()).isPositive();
            int length = (int) Math.min(run.length(), 1 << 20);
            assertThat(read(disk, run.guestOffset(), length)).as("%s at %d", volume.id(), at)
                    .isEqualTo(read(volume.bytes(), at, length));
            at += length;
        }
    }

    /** The first PE of each segment of {@code lv}, by the segment's first LV extent, from the fixture's seg report. */
    private static Map<Long, Long> segmentStarts(String fixture, String lv) throws IOException {
        Map<Long, Long> starts = new java.util.HashMap<>();
        for (JsonNode seg : report(fixture, "segs")) {
            if (seg.get("lv_name").asText().equals(lv)) {
                String range = seg.get("seg_pe_ranges").asText();
                starts.put(seg.get("seg_start_pe").asLong(), Long.parseLong(range.replaceAll(".*:(\\d+)-.*", "$1")));
            }
        }
        return starts;
    }

    private static long number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static VolumeContainer.Group single(List<VolumeContainer.Group> groups) {
        assertThat(groups).hasSize(1);
        return groups.getFirst();
    }
}

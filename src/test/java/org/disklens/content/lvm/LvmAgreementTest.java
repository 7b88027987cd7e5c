package org.disklens.content.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.content.lvm.LvmImages.inner;
import static org.disklens.content.lvm.LvmImages.pattern;
import static org.disklens.content.lvm.LvmImages.read;
import static org.disklens.content.lvm.LvmTools.linear;
import static org.disklens.content.lvm.LvmTools.logicalVolumes;
import static org.disklens.content.lvm.LvmTools.lv;
import static org.disklens.content.lvm.LvmTools.striped;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.image.CorruptImage;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PVs and VGs made at test time by LVM2's tools on loop devices (LVs written into the metadata with
 * vgcfgrestore, ext4 file systems made by mkfs.ext4 -d placed into LVs extent by extent and stripe by stripe), read
 * by DiskLens through DiskLayout and the command line, and compared with lvs, vgs and pvck and with the source tree.
 * <ul>
 * <li>{@code whole.img}: one PV over the whole disk with two metadata areas, VG vg0 (1 MiB extents), LV root (ext4)
 * and LV data (two segments, the second before the first on the PV); its metadata is rewritten by vgchange --addtag
 * until the committed copy wraps around the end of its ring.
 * <li>{@code gpt.img}: a GPT disk with an empty partition 1; partitions 2 and 3 are the PVs of vg1 (LV stripes: ext4
 * striped over both in 64 KiB chunks; LV span: linear, half on each); partition 4 is the only PV here of vg2, whose
 * two other PVs are other files.
 * </ul>
 */
class LvmAgreementTest {
    private static final long MIB = 1 << 20;
    @TempDir
    static Path dir;
    static Path tree;
    static Path whole;
    static Path gpt;
    static Map<String, List<JsonNode>> lvs = new HashMap<>();
    static Map<String, JsonNode> vgs = new HashMap<>();
    static long wholeSeqno;
    static List<JsonNode> vg2Pvs;
    static LvmTools lvm;

    @BeforeAll
    static void makeImages() throws IOException {
        Tools.require("mkfs.ext4", "sgdisk");
        lvm = LvmTools.open(dir);
        tree = tree(dir.resolve("tree"));
        makeWhole();
        makeGpt();
    }

    @AfterAll
    static void detach() {
        if (lvm != null) {
            lvm.close();
        }
    }

    private static void makeWhole() throws IOException {
        whole = dir.resolve("whole.img");
        Tools.run(dir, "truncate", "-s", "64M", whole.toString());
        String pv = lvm.attach(whole);
        lvm.lvm("pvcreate", "-y", "--metadatasize", "32k", "--dataalignment", "64k", "--pvmetadatacopies", "2", pv);
        lvm.lvm("vgcreate", "-s", "1m", "vg0", pv);
        lvm.restoreWith("vg0", logicalVolumes(
                lv("root", true, linear(0, 24, "pv0", 0)),
                lv("data", true, linear(0, 2, "pv0", 30), linear(2, 2, "pv0", 26))));
        for (int round = 1; !wrapped(lvm.headers(pv)); round++) {
            assertThat(round).as("rounds until the metadata wraps").isLessThan(100);
            lvm.lvm("vgchange", tags(round));
        }
        record("vg0");
        long peStart = lvm.report("pvs", "pv", "-o", "pe_start", pv).getFirst().get("pe_start").asLong();
        lvm.close();
        Path root = ext4(dir.resolve("root.ext4"), 24);
        LvmTools.write(whole, peStart, Files.readAllBytes(root));
        LvmTools.write(whole, peStart + 30 * MIB, pattern("data", 0, (int) (2 * MIB)));
        LvmTools.write(whole, peStart + 26 * MIB, pattern("data", 2 * MIB, (int) (2 * MIB)));
    }

    private static void makeGpt() throws IOException {
        gpt = dir.resolve("gpt.img");
        Tools.run(dir, "truncate", "-s", "200M", gpt.toString());
        Tools.run(dir, "sgdisk", "-n", "1:1M:+32M", "-t", "1:8300", "-n", "2:0:+64M", "-t", "2:8E00", "-n", "3:0:+64M",
                "-t", "3:8E00", "-n", "4:0:+32M", "-t", "4:8E00", gpt.toString());
        long p2 = 33 * MIB;
        long p3 = 97 * MIB;
        long p4 = 161 * MIB;
        String pv2 = lvm.attach(gpt, p2, 64 * MIB);
        String pv3 = lvm.attach(gpt, p3, 64 * MIB);
        lvm.lvm("pvcreate", "-y", pv2, pv3);
        lvm.lvm("vgcreate", "-s", "1m", "vg1", pv2, pv3);
        lvm.restoreWith("vg1", logicalVolumes(
                lv("stripes", true, striped(0, 32, 128, "pv0", 0, "pv1", 0)),
                lv("span", true, linear(0, 4, "pv0", 20), linear(4, 4, "pv1", 20))));
        String pv4 = lvm.attach(gpt, p4, 32 * MIB);
        String other1 = lvm.attach(scratch("other1.img"));
        String other2 = lvm.attach(scratch("other2.img"));
        lvm.lvm("pvcreate", "-y", pv4, other1, other2);
        lvm.lvm("vgcreate", "-s", "1m", "vg2", pv4, other1, other2);
        lvm.restoreWith("vg2", logicalVolumes(
                lv("here", true, linear(0, 4, "pv0", 0)),
                lv("gone", true, linear(0, 4, "pv1", 0)),
                lv("across", true, linear(0, 2, "pv0", 4), linear(2, 2, "pv2", 0))));
        record("vg1");
        record("vg2");
        vg2Pvs = lvm.report("pvs", "pv", "-o", "pv_uuid", "-S", "vg_name=vg2");
        long peStart = lvm.report("pvs", "pv", "-o", "pe_start", pv2).getFirst().get("pe_start").asLong();
        lvm.close();
        byte[] stripes = Files.readAllBytes(ext4(dir.resolve("stripes.ext4"), 32));
        LvmTools.writeStriped(gpt, stripes, 64 * 1024, p2 + peStart, p3 + peStart);
        LvmTools.write(gpt, p2 + peStart + 20 * MIB, pattern("span", 0, (int) (4 * MIB)));
        LvmTools.write(gpt, p3 + peStart + 20 * MIB, pattern("span", 4 * MIB, (int) (4 * MIB)));
        LvmTools.write(gpt, p4 + peStart, pattern("here", 0, (int) (4 * MIB)));
    }

    @Test
    void aWholeDiskPvAgreesWithLvsVgsAndPvck() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(whole)) {
            List<Volume> volumes = DiskLayout.read(disk);
            assertThat(volumes).extracting(Volume::id).containsExactly("0");
            VolumeContainer.Group group = DiskLayout.groups(volumes).getFirst();
            assertAgrees(group, "vg0", List.of("0"));
            PhysicalVolume pv = PhysicalVolume.read(volumes.getFirst());
            assertThat(pv.label().metadataAreas()).hasSize(2);
            for (DiskArea area : pv.label().metadataAreas()) {
                assertThat(MetadataArea.read(pv, area).orElseThrow().vg().seqno()).isEqualTo(wholeSeqno);
            }
            Volume data = inner(group, "data").volume().orElseThrow();
            assertThat(read(data.bytes(), 0, (int) (4 * MIB))).isEqualTo(pattern("data", 0, (int) (4 * MIB)));
            LvmFixturesTest.assertSamePlacedBytes(disk, data);
        }
    }

    @Test
    void anExt4InAnLvListsAndReadsLikeItsSourceTree() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(whole)) {
            assertMatchesTree(DiskLayout.select(disk, Optional.of("vg0/root")).open());
        }
        try (FileBlockSource disk = FileBlockSource.open(gpt)) {
            Volume stripes = DiskLayout.select(disk, Optional.of("vg1/stripes"));
            assertMatchesTree(stripes.open());
            LvmFixturesTest.assertSamePlacedBytes(disk, stripes);
        }
    }

    @Test
    void theCommandLineListsAndCatsFilesOfAnLv() throws IOException {
        Cli.Result listing = Cli.run("ls", "-R", "--json", "-m", "vg0/root", whole.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        Map<String, String> types = new TreeMap<>();
        Map<String, Long> sizes = new HashMap<>();
        listing.json().forEach(entry -> {
            types.put(entry.get("path").asText(), entry.get("type").asText());
            sizes.put(entry.get("path").asText(), entry.get("size").asLong());
        });
        Map<String, Path> expected = sourcePaths();
        assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, Path> entry : expected.entrySet()) {
            Path source = entry.getValue();
            if (Files.isSymbolicLink(source)) {
                assertThat(types.get(entry.getKey())).isEqualTo("symlink");
            } else if (Files.isDirectory(source)) {
                assertThat(types.get(entry.getKey())).isEqualTo("dir");
            } else {
                assertThat(types.get(entry.getKey())).isEqualTo("file");
                assertThat(sizes.get(entry.getKey())).isEqualTo(Files.size(source));
                Cli.Result cat = Cli.run("cat", "-m", "vg0/root", whole.toString(), entry.getKey());
                assertThat(cat.exitCode()).as(cat.err()).isZero();
                assertThat(cat.bytes()).as(entry.getKey()).isEqualTo(Files.readAllBytes(source));
            }
        }
    }

    @Test
    void twoVgsOnOneGptDiskAgreeWithLvs() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(gpt)) {
            List<Volume> volumes = DiskLayout.read(disk);
            assertThat(volumes).extracting(Volume::id).containsExactly("1", "2", "3", "4");
            List<VolumeContainer.Group> groups = DiskLayout.groups(volumes);
            assertThat(groups).hasSize(2);
            assertAgrees(groups.get(0), "vg1", List.of("2", "3"));
            assertAgrees(groups.get(1), "vg2", List.of("4"));
            Volume span = inner(groups.get(0), "span").volume().orElseThrow();
            assertThat(read(span.bytes(), 0, (int) (8 * MIB))).isEqualTo(pattern("span", 0, (int) (8 * MIB)));
            LvmFixturesTest.assertSamePlacedBytes(disk, span);
            Volume here = inner(groups.get(1), "here").volume().orElseThrow();
            assertThat(read(here.bytes(), 0, (int) (4 * MIB))).isEqualTo(pattern("here", 0, (int) (4 * MIB)));
            assertThat(inner(groups.get(0), "stripes").volume().orElseThrow().detected().orElseThrow().info().type())
                    .isEqualTo("ext4");
            List<JsonNode> pvs = vg2Pvs;
            assertThat(inner(groups.get(1), "gone").unreadable()).contains(
                    "needs PV pv1 (uuid %s), 2 of 3 PVs are not in this image".formatted(uuidOf(pvs, 1)));
            assertThat(inner(groups.get(1), "across").unreadable()).contains(
                    "needs PV pv2 (uuid %s), 2 of 3 PVs are not in this image".formatted(uuidOf(pvs, 2)));
        }
    }

    @Test
    void aDamagedMetadataCopyGivesWayToTheOtherAreaAndBothDamagedIsAnError() throws IOException {
        Path copy = dir.resolve("one-copy-damaged.img");
        Files.copy(whole, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<Long> texts = committedTexts(whole);
        LvmTools.write(copy, texts.get(0) + 10, new byte[] {'#'});
        try (FileBlockSource disk = FileBlockSource.open(copy)) {
            assertAgrees(DiskLayout.groups(DiskLayout.read(disk)).getFirst(), "vg0", List.of("0"));
        }
        LvmTools.write(copy, texts.get(1) + 10, new byte[] {'#'});
        try (FileBlockSource disk = FileBlockSource.open(copy)) {
            List<Volume> volumes = DiskLayout.read(disk);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DiskLayout.groups(volumes))
                    .isInstanceOf(CorruptImage.class).hasMessageContaining("metadata text checksum");
        }
    }

    /** Group facts and visible LVs against what vgs and lvs said while the PVs were attached. */
    private static void assertAgrees(VolumeContainer.Group group, String vg, List<String> members) {
        JsonNode facts = vgs.get(vg);
        assertThat(group.facts()).containsExactly(Map.entry("vg", vg), Map.entry("pvs", facts.get("pv_count").asInt()),
                Map.entry("extent-size", facts.get("vg_extent_size").asLong()));
        assertThat(group.memberIds()).isEqualTo(members);
        List<JsonNode> visible = LvmImages.visible(lvs.get(vg));
        assertThat(group.volumes()).extracting(VolumeContainer.Inner::name)
                .containsExactlyInAnyOrderElementsOf(visible.stream().map(row -> row.get("lv_name").asText()).toList());
        for (JsonNode row : visible) {
            VolumeContainer.Inner inner = inner(group, row.get("lv_name").asText());
            assertThat(inner.size()).isEqualTo(row.get("lv_size").asLong());
            assertThat(inner.segments()).isEqualTo(row.get("seg_count").asInt());
        }
    }

    private static void assertMatchesTree(FileSystem fileSystem) throws IOException {
        Map<String, Path> expected = sourcePaths();
        Map<String, FileEntry> found = new TreeMap<>();
        fileSystem.walk(fileSystem.root(), entry -> found.put(entry.path(), entry), ProgressListener.NONE);
        assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, FileEntry> entry : found.entrySet()) {
            Path source = expected.get(entry.getKey());
            FileEntry file = entry.getValue();
            if (file.type() == FileEntry.Type.FILE) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                fileSystem.copy(file, Channels.newChannel(out), ProgressListener.NONE);
                assertThat(out.toByteArray()).as(entry.getKey()).isEqualTo(Files.readAllBytes(source));
            } else if (file.type() == FileEntry.Type.SYMLINK) {
                assertThat(file.target()).contains(Files.readSymbolicLink(source).toString());
            }
        }
    }

    /** The tree's paths as DiskLens spells them ("/a/b"), without lost+found (mkfs.ext4 adds it). */
    private static Map<String, Path> sourcePaths() throws IOException {
        Map<String, Path> paths = new TreeMap<>();
        try (var walk = Files.walk(tree)) {
            walk.filter(path -> !path.equals(tree)).forEach(path -> paths.put("/" + tree.relativize(path), path));
        }
        paths.put("/lost+found", tree); // a directory, as lost+found is
        return paths;
    }

    private static Path tree(Path root) throws IOException {
        Random random = new Random(7);
        Files.createDirectories(root.resolve("etc/deep/er/still"));
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 1_000_003}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(root.resolve("size-" + size), bytes);
        }
        Files.writeString(root.resolve("etc/hostname"), "lvm-guest\n");
        Files.writeString(root.resolve("etc/deep/er/still/ünïcødé.txt"), "deep and non-ASCII\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("etc/hostname"));
        return root;
    }

    private static Path ext4(Path file, int megabytes) {
        Tools.run(dir, "truncate", "-s", megabytes + "M", file.toString());
        Tools.run(dir, "mkfs.ext4", "-q", "-F", "-d", tree.toString(), file.toString());
        return file;
    }

    private static Path scratch(String name) {
        Path file = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", "32M", file.toString());
        return file;
    }

    private static void record(String vg) {
        lvs.put(vg, lvm.report("lvs", "lv", "-a", "-o", "lv_name,lv_size,seg_count", vg));
        JsonNode facts = lvm.report("vgs", "vg", "-o", "vg_name,pv_count,vg_extent_size,vg_seqno", vg).getFirst();
        vgs.put(vg, facts);
        if (vg.equals("vg0")) {
            wholeSeqno = facts.get("vg_seqno").asLong();
        }
    }

    /** vgchange arguments that add 8 tags of 100 characters: each copy of the metadata grows by about 1 KiB. */
    private static String[] tags(int round) {
        List<String> args = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            args.add("--addtag");
            args.add(("round" + round + "-tag" + i + "-").concat("x".repeat(100)).substring(0, 100));
        }
        args.add("vg0");
        return args.toArray(String[]::new);
    }

    /** Whether pvck shows the first area's committed text running past the end of its ring. */
    private static boolean wrapped(String headers) {
        return number(headers, "mda_header_1.raw_locn\\[0\\].offset (\\d+)")
                + number(headers, "mda_header_1.raw_locn\\[0\\].size (\\d+)") > number(headers, "mda_header_1.size (\\d+)");
    }

    /** Where the committed text of each metadata area starts in the image, as pvck reports it. */
    private static List<Long> committedTexts(Path image) throws IOException {
        try (LvmTools session = LvmTools.open(dir)) {
            String headers = session.headers(session.attach(image));
            Matcher matcher = Pattern.compile("metadata text at (\\d+) crc").matcher(headers);
            List<Long> offsets = new java.util.ArrayList<>();
            while (matcher.find()) {
                offsets.add(Long.parseLong(matcher.group(1)));
            }
            assertThat(offsets).hasSize(2);
            return offsets;
        }
    }

    private static String uuidOf(List<JsonNode> pvs, int index) {
        return pvs.get(index).get("pv_uuid").asText();
    }

    private static long number(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}

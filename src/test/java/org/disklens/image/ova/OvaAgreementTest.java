package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.disklens.image.DiskImage;
import org.disklens.image.HeaderField;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OVAs and loose OVFs packed here the way exporters pack them (GNU tar in ustar, GNU and pax formats; VMware- and
 * VirtualBox-style descriptors; streamOptimized and monolithicSparse disks from qemu-img; manifests from sha256sum and
 * sha1sum; a certificate signed by openssl), with DiskLens's {@code info}, {@code convert}, {@code map},
 * {@code compare}, {@code ls} and {@code check} held to what qemu-img says of the disks {@code tar -xf} takes out.
 */
class OvaAgreementTest {
    @TempDir
    static Path dir;
    /** One VMware-style disk, ustar, SHA256 manifest. */
    static Path one;
    /** VirtualBox style, GNU tar format, SHA1 manifest: disk 1 a FAT file system (48 MiB), disk 2 ext4 (32 MiB). */
    static Path two;
    /** pax format, a member name longer than ustar allows. */
    static Path pax;
    /** A monolithicSparse (uncompressed) disk: map's offsets are the member's, shifted into the OVA. */
    static Path sparse;
    /** A qcow2 disk (VirtualBox's qcow URL): another driver inside, with offsets to shift. */
    static Path qcow;
    /** two.ova's files, extracted: a loose OVF beside its disks. */
    static Path loose;
    static final String LONG_NAME = "an-appliance-disk-whose-name-is-longer-than-the-hundred-bytes-a-ustar-header-holds-"
            + "for-a-name-disk1.vmdk";

    @BeforeAll
    static void pack() throws IOException {
        Qemu.require();
        Tools.require("tar", "sha256sum", "sha1sum", "mkfs.vfat", "mcopy", "mke2fs");
        OvaFixtures.streamVmdk(dir, "web-disk1.vmdk", "64M", "write -P 0x11 0 128k", "write -P 0x22 3M 4k",
                "write -P 0x33 10M 1M", "write -P 0x44 63M 64k");
        new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of("web-disk1.vmdk", 64L << 20)).sized(dir).write(dir.resolve("web.ovf"));
        OvaFixtures.manifest(dir, "web.mf", "SHA256", "web.ovf", "web-disk1.vmdk");
        one = OvaFixtures.tar(dir, "one.ova", "ustar", "web.ovf", "web.mf", "web-disk1.vmdk");

        fatDisk("appliance-disk1.vmdk");
        ext4Disk("appliance-disk2.vmdk");
        OvaFixtures.Ovf appliance = new OvaFixtures.Ovf();
        appliance.name = "appliance";
        appliance.vmware = false;
        appliance.cpus = 1;
        appliance.memoryMb = 1024;
        appliance.networks = List.of("NAT", "Internal");
        appliance.disk(OvaFixtures.Disk.of("appliance-disk1.vmdk", 48L << 20))
                .disk(OvaFixtures.Disk.of("appliance-disk2.vmdk", 32L << 20)).sized(dir).write(dir.resolve("appliance.ovf"));
        OvaFixtures.manifest(dir, "appliance.mf", "SHA1", "appliance.ovf", "appliance-disk1.vmdk", "appliance-disk2.vmdk");
        two = OvaFixtures.tar(dir, "two.ova", "", "appliance.ovf", "appliance.mf", "appliance-disk1.vmdk",
                "appliance-disk2.vmdk");
        loose = OvaFixtures.extract(two).resolve("appliance.ovf");

        Files.copy(dir.resolve("web-disk1.vmdk"), dir.resolve(LONG_NAME));
        new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of(LONG_NAME, 64L << 20)).sized(dir).write(dir.resolve("long.ovf"));
        pax = OvaFixtures.tar(dir, "pax.ova", "posix", "long.ovf", LONG_NAME);

        OvaFixtures.vmdk(dir, "sparse-disk1.vmdk", "monolithicSparse", "16M", "write -P 0x55 0 256k",
                "write -P 0x66 5M 4k", "write -z 6M 64k");
        new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of("sparse-disk1.vmdk", 16L << 20)
                .format("http://www.vmware.com/interfaces/specifications/vmdk.html#sparse")).sized(dir)
                .write(dir.resolve("sparse.ovf"));
        sparse = OvaFixtures.tar(dir, "sparse.ova", "ustar", "sparse.ovf", "sparse-disk1.vmdk");

        Qemu.create(dir, "qcow-disk1.qcow2", "qcow2", "", "16M");
        Qemu.io(dir, "qcow-disk1.qcow2", "qcow2", "write -P 0x77 0 192k", "write -P 0x88 9M 64k", "write -z 10M 1M");
        new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of("qcow-disk1.qcow2", 16L << 20)
                .format("http://www.gnome.org/~markmc/qcow-image-format.html")).sized(dir).write(dir.resolve("qcow.ovf"));
        qcow = OvaFixtures.tar(dir, "qcow.ova", "ustar", "qcow.ovf", "qcow-disk1.qcow2");
    }

    private static void fatDisk(String name) throws IOException {
        Path files = Files.createDirectories(dir.resolve("fat-files"));
        Files.writeString(files.resolve("README.TXT"), "an appliance's first disk\n");
        Files.write(files.resolve("DATA.BIN"), new byte[70_000]);
        Qemu.create(dir, "fat.raw", "raw", "", "48M");
        Tools.run(dir, "mkfs.vfat", "-n", "OVADISK", "fat.raw");
        Tools.run(dir, "mcopy", "-i", "fat.raw", files.resolve("README.TXT").toString(), files.resolve("DATA.BIN").toString(), "::/");
        Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "fat.raw", name);
        Files.delete(dir.resolve("fat.raw"));
    }

    private static void ext4Disk(String name) throws IOException {
        Path files = Files.createDirectories(dir.resolve("ext4-files/etc"));
        Files.writeString(files.resolve("hostname"), "appliance\n");
        Files.writeString(files.getParent().resolve("notes.txt"), "the second disk\n");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-d", dir.resolve("ext4-files").toString(),
                dir.resolve("ext4.raw").toString(), "32M");
        Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "ext4.raw", name);
        Files.delete(dir.resolve("ext4.raw"));
    }

    /** An appliance, the disk asked for, and the disk file it holds. */
    record Case(String name, Path image, int disk, String member) {
        @Override
        public String toString() {
            return name + " disk " + disk;
        }

        String[] with(String verb, String... rest) {
            List<String> args = new ArrayList<>(List.of(verb));
            if (disk > 1) {
                args.add("--disk");
                args.add(Integer.toString(disk));
            }
            args.addAll(List.of(rest));
            return args.toArray(String[]::new);
        }

        /** The disk as {@code tar -xf} takes it out (or beside the loose OVF). */
        Path extracted() {
            return image.toString().endsWith(".ovf") ? image.resolveSibling(member) : OvaFixtures.extract(image).resolve(member);
        }

        boolean packed() {
            return !image.toString().endsWith(".ovf");
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(new Case("ustar", one, 1, "web-disk1.vmdk")),
                Arguments.of(new Case("gnu", two, 1, "appliance-disk1.vmdk")),
                Arguments.of(new Case("gnu", two, 2, "appliance-disk2.vmdk")),
                Arguments.of(new Case("pax", pax, 1, LONG_NAME)),
                Arguments.of(new Case("monolithic-sparse", sparse, 1, "sparse-disk1.vmdk")),
                Arguments.of(new Case("qcow2", qcow, 1, "qcow-disk1.qcow2")),
                Arguments.of(new Case("loose-ovf", loose, 1, "appliance-disk1.vmdk")),
                Arguments.of(new Case("loose-ovf", loose, 2, "appliance-disk2.vmdk")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void convertedDiskIsTheDiskInside(Case appliance) throws IOException {
        Path raw = dir.resolve(appliance.name() + "-" + appliance.disk() + ".converted.raw");
        Cli.Result result = Cli.run(appliance.with("convert", "-O", "raw", appliance.image().toString(), raw.toString()));
        assertThat(result.exitCode()).as(result.err()).isZero();
        Tools.Result same = Tools.exec(dir, "qemu-img", "compare", "-f", "raw", raw.toString(),
                appliance.extracted().toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        Files.delete(raw);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compareSaysIdenticalToTheDiskInside(Case appliance) {
        Cli.Result result = Cli.run(appliance.with("compare", appliance.image().toString(), appliance.extracted().toString()));
        assertThat(result.out()).as(result.err()).contains("Images are identical.");
    }

    /** qemu-img's map of the extracted disk, its offsets moved by where the member's data starts in the OVA. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mapIsQemuImgsMapOfTheDiskShiftedIntoTheOva(Case appliance) {
        Path disk = appliance.extracted();
        long shift = appliance.packed() && !appliance.name().equals("pax")
                ? OvaFixtures.dataOffset(appliance.image(), appliance.member()) : 0;
        ArrayNode expected = (ArrayNode) Qemu.map(disk.getParent(), disk.toString());
        for (JsonNode entry : expected) {
            if (entry.has("offset")) {
                ((ObjectNode) entry).put("offset", entry.get("offset").asLong() + shift);
            }
        }
        Cli.Result ours = Cli.run(appliance.with("map", "--json", appliance.image().toString()));
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        if (appliance.name().equals("pax")) {
            for (JsonNode entry : expected) {
                ((ObjectNode) entry).remove("offset");
            }
        }
        JsonSubset.assertContains(expected, ours.json());
        if (appliance.name().equals("monolithic-sparse") || appliance.name().equals("qcow2")) {
            assertThat(expected.toString()).as("the sparse disk's data has offsets to shift").contains("offset");
        }
    }

    @Test
    void infoOfAVmwareStyleOva() {
        Cli.Result result = Cli.run("info", "--json", one.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode qemu = Qemu.info(dir, OvaFixtures.extract(one).resolve("web-disk1.vmdk").toString());
        JsonNode info = result.json();
        assertThat(info.get("format").asText()).isEqualTo("ova");
        assertThat(info.get("virtual-size").asLong()).isEqualTo(qemu.get("virtual-size").asLong()).isEqualTo(64L << 20);
        assertThat(info.get("cluster-size").asLong()).isEqualTo(qemu.get("cluster-size").asLong());
        JsonSubset.assertContains(Cli.parse("""
                {"type": "ova", "data": {"name": "web", "os-type": "debian10_64Guest", "cpus": 2, "memory": 2147483648,
                 "networks": ["VM Network"],
                 "disks": [{"href": "web-disk1.vmdk", "format": "vmdk", "capacity": 67108864, "compression": "none"}]}}
                """), info.get("format-specific"));
        assertThat(info.get("format-specific").get("data").fieldNames()).toIterable()
                .containsExactly("name", "os-type", "cpus", "memory", "networks", "disks");
    }

    @Test
    void infoOfAVirtualBoxStyleOvaShowsTheDiskAskedFor() {
        Cli.Result result = Cli.run("info", "--json", "--disk", "2", two.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode info = result.json();
        assertThat(info.get("virtual-size").asLong()).isEqualTo(32L << 20);
        JsonSubset.assertContains(Cli.parse("""
                {"type": "ova", "data": {"name": "appliance", "os-type": "Debian_64", "cpus": 1, "memory": 1073741824,
                 "networks": ["NAT", "Internal"],
                 "disks": [{"href": "appliance-disk1.vmdk", "format": "vmdk", "capacity": 50331648, "compression": "none"},
                           {"href": "appliance-disk2.vmdk", "format": "vmdk", "capacity": 33554432, "compression": "none"}]}}
                """), info.get("format-specific"));
        Cli.Result first = Cli.run("info", "--json", two.toString());
        assertThat(first.json().get("virtual-size").asLong()).isEqualTo(48L << 20);
        assertThat(first.json().get("partitions").get(0).get("filesystem").get("type").asText()).isEqualTo("vfat");
    }

    @Test
    void aLooseOvfOpensTheSame() {
        Cli.Result packed = Cli.run("info", "--json", two.toString());
        Cli.Result result = Cli.run("info", "--json", loose.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.json().get("format").asText()).isEqualTo("ovf");
        assertThat(result.json().get("format-specific").get("type").asText()).isEqualTo("ovf");
        assertThat(result.json().get("virtual-size")).isEqualTo(packed.json().get("virtual-size"));
        assertThat(result.json().get("format-specific").get("data")).isEqualTo(packed.json().get("format-specific").get("data"));
    }

    @Test
    void lsListsTheFilesOfEachDisk() {
        Cli.Result fat = Cli.run("ls", "--json", two.toString(), "/");
        assertThat(fat.exitCode()).as(fat.err()).isZero();
        assertThat(fat.out()).contains("README.TXT", "DATA.BIN");
        Cli.Result ext4 = Cli.run("ls", "--disk", "2", "-R", two.toString(), "/");
        assertThat(ext4.exitCode()).as(ext4.err()).isZero();
        assertThat(ext4.out()).contains("hostname", "notes.txt");
        Cli.Result cat = Cli.run("cat", "--disk", "2", two.toString(), "/etc/hostname");
        assertThat(new String(cat.bytes())).as(cat.err()).isEqualTo("appliance\n");
        Cli.Result ovf = Cli.run("ls", "--disk", "2", loose.toString(), "/");
        assertThat(ovf.out()).as(ovf.err()).contains("notes.txt");
    }

    @Test
    void checkVerifiesTheManifest() {
        for (Path appliance : List.of(one, two, loose)) {
            Cli.Result result = Cli.run("check", "--json", appliance.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.err()).containsPattern("manifest \\S+\\.mf: (2 of 2|3 of 3) digests match");
            assertThat(result.json().get("check-errors").asLong()).isZero();
            assertThat(result.json().has("corruptions")).isFalse();
        }
    }

    @Test
    void checkReportsAWrongDigest() throws IOException {
        Path work = Files.createDirectories(dir.resolve("wrong-digest"));
        for (String file : List.of("web.ovf", "web-disk1.vmdk")) {
            Files.copy(dir.resolve(file), work.resolve(file));
        }
        String good = Files.readString(dir.resolve("web.mf"));
        String line = good.lines().filter(text -> text.contains("web-disk1.vmdk")).findFirst().orElseThrow();
        String bad = line.substring(0, line.length() - 4) + (line.endsWith("0000") ? "1111" : "0000");
        Files.writeString(work.resolve("web.mf"), good.replace(line, bad));
        Path ova = OvaFixtures.tar(work, "wrong-digest.ova", "ustar", "web.ovf", "web.mf", "web-disk1.vmdk");
        Cli.Result result = Cli.run("check", "--json", ova.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.json().get("corruptions").asLong()).isEqualTo(1);
        assertThat(result.err()).contains("SHA256 digest of web-disk1.vmdk does not match the manifest web.mf")
                .contains("1 of 2 digests match");
        Cli.Result loose = Cli.run("check", work.resolve("web.ovf").toString());
        assertThat(loose.exitCode()).as(loose.err()).isEqualTo(2);
        assertThat(loose.err()).contains("SHA256 digest of web-disk1.vmdk does not match");
    }

    @Test
    void checkVerifiesTheCertificatesSignatureOfTheManifest() throws IOException {
        Path work = Files.createDirectories(dir.resolve("signed"));
        for (String file : List.of("web.ovf", "web.mf", "web-disk1.vmdk")) {
            Files.copy(dir.resolve(file), work.resolve(file));
        }
        Tools.run(work, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                "cert.pem", "-subj", "/CN=DiskLens test signer", "-days", "2");
        String signature = Tools.run(work, "openssl", "dgst", "-sha256", "-sign", "key.pem", "-hex", "web.mf").strip();
        String hex = signature.substring(signature.indexOf("= ") + 2);
        Files.writeString(work.resolve("web.cert"), "SHA256(web.mf)= " + hex + "\n" + Files.readString(work.resolve("cert.pem")));
        Path signed = OvaFixtures.tar(work, "signed.ova", "ustar", "web.ovf", "web.mf", "web.cert", "web-disk1.vmdk");
        Cli.Result result = Cli.run("check", signed.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("SHA256 signature of web.mf is valid, by CN=DiskLens test signer");

        Files.writeString(work.resolve("web.mf"), Files.readString(work.resolve("web.mf")) + "\n");
        Path changed = OvaFixtures.tar(work, "changed.ova", "ustar", "web.ovf", "web.mf", "web.cert", "web-disk1.vmdk");
        Cli.Result tampered = Cli.run("check", changed.toString());
        assertThat(tampered.exitCode()).as(tampered.err()).isEqualTo(2);
        assertThat(tampered.err()).contains("does not match the manifest");
    }

    @Test
    void layoutCoversTheOvaWithTarStructuresAndTheDisksOwnRegions() throws IOException {
        try (DiskImage image = new ImageOpener(OpenPolicy.DEFAULT).open(two, Optional.empty())) {
            List<long[]> runs = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            image.describeHost((region, hostOffset, length) -> {
                runs.add(new long[] {hostOffset, length});
                labels.add(region.label());
                assertThat(image.hostRegions()).contains(region);
            }, ProgressListener.NONE);
            runs.sort(Comparator.comparingLong(run -> run[0]));
            long at = 0;
            for (long[] run : runs) {
                assertThat(run[0]).as("runs cover the file without gaps or overlaps").isEqualTo(at);
                at = run[0] + run[1];
            }
            assertThat(at).isEqualTo(Files.size(two));
            assertThat(labels).contains("Tar headers", "OVF descriptor", "Manifest and certificate", "Other disks",
                    "Tar padding and end blocks", "Compressed grains", "Grain directories"); // the streamOptimized disk's own
            List<String> names = image.headerFields().stream().map(HeaderField::name).toList();
            assertThat(names).contains("appliance.ovf", "appliance.mf", "appliance-disk1.vmdk", "appliance-disk2.vmdk",
                    "Envelope", "Memory (ResourceType 4)");
            assertThat(image.formatTitle()).isEqualTo("OVA (OVF 1.0, disk 1 of 2)");
        }
        try (DiskImage image = new ImageOpener(OpenPolicy.DEFAULT, Map.of("disk", "2")).open(loose, Optional.empty())) {
            assertThat(image.formatTitle()).isEqualTo("OVF 1.0 (disk 2 of 2)");
            assertThat(image.virtualSize()).isEqualTo(32L << 20);
        }
    }
}

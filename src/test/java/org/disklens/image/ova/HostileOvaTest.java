package org.disklens.image.ova;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile OVAs and OVFs, made from good ones packed by tar: each command answers soundly or fails in one clear line,
 * fast, input untouched; nothing outside the package is ever read.
 */
class HostileOvaTest {
    @TempDir
    static Path dir;
    static Path good;
    static long diskSize;

    @BeforeAll
    static void makeGoodAppliance() {
        Qemu.require();
        Tools.require("tar", "gzip");
        OvaFixtures.streamVmdk(dir, "disk1.vmdk", "8M", "write -P 0x11 0 64k", "write -P 0x22 4M 64k");
        OvaFixtures.streamVmdk(dir, "disk2.vmdk", "4M", "write -P 0x33 0 64k");
        diskSize = OvaFixtures.size(dir.resolve("disk1.vmdk"));
        good = pack("good", new OvaFixtures.Ovf().disk(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20)), "disk1.vmdk");
    }

    /** {@code NAME.ova}: {@code NAME.ovf} from {@code ovf}, then {@code members}, in a folder of its own (ustar). */
    private static Path pack(String name, OvaFixtures.Ovf ovf, String... members) {
        try {
            Path folder = Files.createDirectories(dir.resolve(name));
            ovf.write(folder.resolve(name + ".ovf"));
            for (String member : members) {
                if (!Files.exists(folder.resolve(member))) {
                    Files.copy(dir.resolve(member), folder.resolve(member));
                }
            }
            String[] files = new String[members.length + 1];
            files[0] = name + ".ovf";
            System.arraycopy(members, 0, files, 1, members.length);
            return OvaFixtures.tar(folder, name + ".ova", "ustar", files);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static OvaFixtures.Ovf ovfWith(OvaFixtures.Disk... disks) {
        OvaFixtures.Ovf ovf = new OvaFixtures.Ovf();
        for (OvaFixtures.Disk disk : disks) {
            ovf.disk(disk);
        }
        return ovf;
    }

    @Test
    void aMemberRunningPastTheEndIsRefused() {
        long cut = OvaFixtures.dataOffset(good, "disk1.vmdk") + diskSize / 2;
        Path truncated = Hostile.truncated(good, "truncated.ova", cut);
        Hostile.assertRefused(truncated, "ova: tar header at 0x", "info", truncated.toString());
        Hostile.assertRefused(truncated, "member 'disk1.vmdk' of %d bytes runs past the end of the file".formatted(diskSize),
                "map", truncated.toString());
        Hostile.convertSafely(truncated);
    }

    @Test
    void aDescriptorSizeFieldPastTheEndIsRefused() throws IOException {
        Path poked = withHeaderField(good, "descriptor-size.ova", 0, 124, "77777777777\0");
        Hostile.assertRefused(poked, "member 'good.ovf' of 8589934591 bytes runs past the end",
                "info", poked.toString());
    }

    @Test
    void aBadChecksumIsNotATar() throws IOException {
        Path poked = Hostile.poke(good, "checksum.ova", 148, 0x3132333434353600L, 8);
        Cli.Result probed = Hostile.runSafely(poked, "info", "--json", poked.toString());
        assertThat(probed.json().get("format").asText()).as("not an OVA, so raw").isEqualTo("raw");
        Hostile.assertRefused(poked, "checksum mismatch", "info", "-f", "ova", poked.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ova", "ovf"})
    void aDoctypeWithEntitiesIsRefusedAndNothingIsExpanded(String kind) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        OvaFixtures.Ovf ovf = ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20));
        ovf.prolog = "<!DOCTYPE Envelope [<!ENTITY secret SYSTEM \"file://%s\"><!ENTITY lol \"lol\">".formatted(secret)
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n";
        ovf.nameText = "&secret;&lol3;";
        Path image = kind.equals("ova") ? pack("doctype", ovf, "disk1.vmdk") : loose("doctype-loose", ovf, "disk1.vmdk");
        for (String verb : List.of("info", "map", "check")) {
            Cli.Result result = Hostile.runSafely(image, verb, image.toString());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("refused: it has a DOCTYPE declaration").doesNotContain("TOP-SECRET", "lollol");
            assertThat(result.out()).doesNotContain("TOP-SECRET", "lollol");
        }
    }

    private static Path loose(String name, OvaFixtures.Ovf ovf, String... files) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (String file : files) {
            Files.copy(dir.resolve(file), folder.resolve(file));
        }
        return ovf.write(folder.resolve(name + ".ovf"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "../disk1.vmdk", "file:///etc/passwd", "sub/../disk1.vmdk"})
    void hrefsOutsideTheOvaAreRefused(String href) {
        Path image = pack("escape-" + Integer.toHexString(href.hashCode()), ovfWith(OvaFixtures.Disk.of(href, 8L << 20)),
                "disk1.vmdk");
        Hostile.assertRefused(image, "inside an OVA a file is named by its member name, never by an absolute path, a URL or '..'",
                "info", image.toString());
        Hostile.convertSafely(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "../disk1.vmdk"})
    void hrefsOutsideTheOvfsFolderAreRefusedByThePolicy(String href) throws IOException {
        Path image = loose("escape-loose-" + Integer.toHexString(href.hashCode()),
                ovfWith(OvaFixtures.Disk.of(href, 8L << 20)));
        Hostile.assertRefused(image, "outside the image's folder", "info", image.toString());
        Hostile.assertRefused(image, "outside the image's folder", "check", image.toString());
    }

    @Test
    void aGzipCompressedDiskIsReadOnlyByAConversion() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("gzip"));
        Files.copy(dir.resolve("disk2.vmdk"), folder.resolve("disk2.vmdk"));
        Tools.run(folder, "gzip", "disk2.vmdk");
        Files.copy(folder.resolve("disk2.vmdk.gz"), dir.resolve("disk2.vmdk.gz"));
        Path image = pack("gzip", ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20),
                OvaFixtures.Disk.of("disk2.vmdk.gz", 4L << 20).compressed("gzip")), "disk1.vmdk", "disk2.vmdk.gz");
        Cli.Result first = Hostile.runSafely(image, "info", "--json", image.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.json().get("format-specific").get("data").get("disks").get(1).get("compression").asText())
                .isEqualTo("gzip");
        Hostile.assertRefused(image, "ova: disk 2 of gzip.ova (disk2.vmdk.gz) is gzip-compressed (ovf:compression): it "
                + "can be read only from start to end, as a conversion does: disklens convert --disk 2 -O qcow2 gzip.ova disk2.qcow2",
                "info", "--disk", "2", image.toString());
        Cli.Result converted = Hostile.runSafely(image, "convert", "--disk", "2", "-O", "raw", image.toString(),
                dir.resolve("gzip.raw").toString());
        assertThat(converted.exitCode()).as(converted.err()).isZero();
        assertThat(Tools.exec(dir, "qemu-img", "compare", "-f", "raw", "-F", "vmdk", dir.resolve("gzip.raw").toString(),
                dir.resolve("disk2.vmdk").toString()).out()).contains("Images are identical.");
    }

    @Test
    void aDiskPastTheLastIsAClearError() {
        Path image = pack("two-disks", ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20),
                OvaFixtures.Disk.of("disk2.vmdk", 4L << 20)), "disk1.vmdk", "disk2.vmdk");
        Hostile.assertRefused(image, "two-disks.ova has 2 disks; there is no disk 3", "info", "--disk", "3", image.toString());
        Hostile.assertRefused(image, "there is no disk 3", "convert", "--disk", "3", "-O", "raw", image.toString(),
                dir.resolve("no-disk-3.raw").toString());
        Cli.Result zero = Cli.run("info", "--disk", "0", image.toString());
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.err()).contains("--disk wants a disk number from 1");
    }

    @Test
    void aTarWhoseFirstMemberIsNotAnOvfIsNotAnOva() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("disk-first"));
        Files.copy(dir.resolve("disk1.vmdk"), folder.resolve("disk1.vmdk"));
        ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20)).write(folder.resolve("late.ovf"));
        Path image = OvaFixtures.tar(folder, "disk-first.ova", "ustar", "disk1.vmdk", "late.ovf");
        Cli.Result probed = Hostile.runSafely(image, "info", "--json", image.toString());
        assertThat(probed.json().get("format").asText()).isEqualTo("raw");
        Hostile.assertRefused(image, "the first member is 'disk1.vmdk', not an OVF descriptor (.ovf)",
                "info", "-f", "ova", image.toString());
    }

    @Test
    void aDiskThatRefersToOtherFilesIsRefusedInsideAnOva() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("flat"));
        Qemu.create(folder, "flat.vmdk", "vmdk", "subformat=monolithicFlat", "1M");
        Path image = pack("flat", ovfWith(OvaFixtures.Disk.of("flat.vmdk", 1L << 20)), "flat.vmdk", "flat-flat.vmdk");
        Hostile.assertRefused(image, "refers to extent 'flat-flat.vmdk'; a disk inside an OVA must be self-contained",
                "info", image.toString());
    }

    @Test
    void aDiskWhoseContentIsNotItsDeclaredFormatIsRefused() throws IOException {
        Files.write(dir.resolve("plain.img"), new byte[1 << 20]);
        Path image = pack("plain", ovfWith(OvaFixtures.Disk.of("plain.img", 1L << 20)), "plain.img");
        Hostile.assertRefused(image, "disk 1 of plain.ova (plain.img) is declared vmdk (ovf:format) but its content is not a vmdk image",
                "info", image.toString());
        Path raw = pack("raw-declared", ovfWith(OvaFixtures.Disk.of("plain.img", 1L << 20).format("raw")), "plain.img");
        Cli.Result result = Hostile.runSafely(raw, "info", "--json", raw.toString());
        assertThat(result.json().get("virtual-size").asLong()).isEqualTo(1L << 20);
    }

    @Test
    void aDifferencingDiskIsRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("delta"));
        Qemu.create(folder, "base.vmdk", "vmdk", "", "1M");
        Qemu.img(folder, "create", "-q", "-f", "vmdk", "-b", "base.vmdk", "-F", "vmdk", "child.vmdk");
        Path image = pack("delta", ovfWith(OvaFixtures.Disk.of("child.vmdk", 1L << 20)), "child.vmdk", "base.vmdk");
        Hostile.assertRefused(image, "is a differencing image (backing file 'base.vmdk')", "info", image.toString());
    }

    @Test
    void anOvaInsideAnOvaIsNotADisk() throws IOException {
        Files.copy(good, dir.resolve("inner.ova"));
        Path image = pack("nested", ovfWith(OvaFixtures.Disk.of("inner.ova", 8L << 20).format("urn:unknown")), "inner.ova");
        Hostile.assertRefused(image, "is itself an OVA package, not a disk image", "info", image.toString());
    }

    @Test
    void referencesThatAreNotThereAreNamed() throws IOException {
        Path missing = pack("missing", ovfWith(OvaFixtures.Disk.of("nowhere.vmdk", 8L << 20)));
        Hostile.assertRefused(missing, "'nowhere.vmdk' is not a member of missing.ova", "info", missing.toString());
        Hostile.assertRefused(missing, "is not a member", "check", missing.toString());

        OvaFixtures.Ovf blank = ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20));
        Path folder = Files.createDirectories(dir.resolve("blank"));
        String text = blank.text().replace("ovf:fileRef=\"file1\"", "ovf:fileRef=\"file9\"");
        Files.writeString(folder.resolve("blank.ovf"), text);
        Path image = OvaFixtures.tar(folder, "blank.ova", "ustar", "blank.ovf");
        Hostile.assertRefused(image, "has no file in References (ovf:fileRef 'file9')", "info", image.toString());
    }

    @Test
    void aDuplicatedMemberIsReadAsTarLeavesItAndReportedByCheck() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("twice"));
        Files.copy(dir.resolve("disk1.vmdk"), folder.resolve("disk1.vmdk"));
        ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20)).sized(folder).write(folder.resolve("twice.ovf"));
        Path image = OvaFixtures.tar(folder, "twice.ova", "ustar", "twice.ovf", "disk1.vmdk", "disk1.vmdk");
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("member disk1.vmdk appears 2 times");
        Cli.Result compare = Hostile.runSafely(image, "compare", image.toString(), dir.resolve("disk1.vmdk").toString());
        assertThat(compare.out()).contains("Images are identical.");
    }

    @Test
    void malformedDescriptorsAreRefused() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("malformed"));
        Files.writeString(folder.resolve("broken.ovf"), "<?xml version=\"1.0\"?>\n<Envelope xmlns=\""
                + OvfDescriptor.OVF_1 + "\"><References><File ovf:href=\"x\"/></References>");
        Path broken = OvaFixtures.tar(folder, "broken.ova", "ustar", "broken.ovf");
        Hostile.assertRefused(broken, "ova: OVF descriptor at 0x200: not well-formed XML", "info", broken.toString());
        Hostile.assertRefused(folder.resolve("broken.ovf"), "ovf: OVF descriptor at 0x0: not well-formed XML", "info",
                folder.resolve("broken.ovf").toString());
        Files.writeString(folder.resolve("other.ovf"), "<?xml version=\"1.0\"?>\n<Envelope xmlns=\"urn:other\"/>");
        Path other = OvaFixtures.tar(folder, "other.ova", "ustar", "other.ovf");
        Hostile.assertRefused(other, "is not an OVF 1.x or 2.0 Envelope", "info", other.toString());
    }

    @Test
    void randomBytesInTheDiskMemberFailCleanly() throws IOException {
        long at = OvaFixtures.dataOffset(good, "disk1.vmdk");
        java.util.Random random = new java.util.Random(18);
        for (int i = 0; i < 12; i++) {
            Path poked = Hostile.poke(good, "poked-" + i + ".ova", at + random.nextLong(diskSize), random.nextLong(), 8);
            for (String verb : List.of("info", "map", "check")) {
                Hostile.runSafely(poked, verb, poked.toString());
            }
            Hostile.convertSafely(poked);
        }
    }

    @Test
    void aManifestNamingOneFileTenThousandTimesHashesItOnce() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("repeated"));
        Files.copy(dir.resolve("disk1.vmdk"), folder.resolve("disk1.vmdk"));
        ovfWith(OvaFixtures.Disk.of("disk1.vmdk", 8L << 20)).write(folder.resolve("repeated.ovf"));
        OvaFixtures.manifest(folder, "repeated.mf", "SHA256", "repeated.ovf", "disk1.vmdk");
        String manifest = Files.readString(folder.resolve("repeated.mf"));
        String diskLine = manifest.lines().filter(line -> line.contains("disk1.vmdk")).findFirst().orElseThrow() + "\n";
        Files.writeString(folder.resolve("repeated.mf"), manifest + diskLine.repeat(10_000));
        Path image = OvaFixtures.tar(folder, "repeated.ova", "ustar", "repeated.ovf", "repeated.mf", "disk1.vmdk");
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.err()).contains("10002 of 10002 digests match");
    }

    /** A copy with {@code value} written into the header at {@code headerOffset} (field at {@code field}), checksum fixed. */
    private static Path withHeaderField(Path ova, String name, long headerOffset, int field, String value) throws IOException {
        Path copy = ova.resolveSibling(name);
        byte[] bytes = Files.readAllBytes(ova);
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, bytes, (int) headerOffset + field, text.length);
        byte[] header = java.util.Arrays.copyOfRange(bytes, (int) headerOffset, (int) headerOffset + 512);
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = TarUtils.computeCheckSum(header);
        TarUtils.formatCheckSumOctalBytes(sum, header, 148, 8);
        System.arraycopy(header, 0, bytes, (int) headerOffset, 512);
        Files.write(copy, bytes);
        return copy;
    }
}

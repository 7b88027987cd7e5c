package org.disklens.content.luks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.crypto.Cryptsetup;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.content.GuestView;
import org.disklens.io.BlockSource;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LUKS volumes in the other places a guest keeps them: a LUKS1 volume (cryptsetup, aes-cbc-essiv:sha256, PBKDF2-SHA256)
 * over a whole disk holding an ext4 made by {@code mke2fs -d}; an LVM physical volume (the lvm tests' fixture made by
 * LVM2's own tools) inside a LUKS2 volume on an MBR partition, whose logical volumes read through the decryption as
 * they read from the plain PV; and qemu's own LUKS1 ({@code qemu-img create -f luks}, filled by {@code qemu-io}) read
 * as a raw disk, whose decrypted bytes are the pattern qemu-io wrote.
 */
class LuksNestingTest {
    private static final long MIB = 1 << 20;
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    static Path dir;
    static String luks1Uuid;
    static String lvmUuid;
    static String qemuUuid;

    @BeforeAll
    static void makeImages() throws IOException {
        Qemu.require();
        Cryptsetup.require();
        Tools.require("sfdisk", "mke2fs");
        Files.writeString(dir.resolve("pw.txt"), SECRET);
        Files.writeString(dir.resolve("wrong.txt"), "not it");

        // LUKS1 over the whole disk, CBC with ESSIV.
        Files.createDirectories(dir.resolve("tree/docs"));
        Files.writeString(dir.resolve("tree/docs/readme.txt"), "a LUKS1 disk\n".repeat(1000));
        Files.writeString(dir.resolve("tree/motd"), "hello from inside\n");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-L", "whole", "-d", "tree", "whole.ext4", "12M");
        Tools.run(dir, "truncate", "-s", "16M", "luks1.img");
        Cryptsetup.format(dir, "luks1.img", "pw.txt", "--type", "luks1", "--cipher", "aes-cbc-essiv:sha256",
                "--key-size", "256", "--hash", "sha256", "--iter-time", "50");
        String dump = Cryptsetup.dump(dir, "luks1.img");
        luks1Uuid = Cryptsetup.field(dump, "UUID:").orElseThrow();
        long offset = Long.parseLong(Cryptsetup.field(dump, "Payload offset:").orElseThrow()) * 512;
        LuksImages.encryptInto(dir.resolve("whole.ext4"), dir.resolve("luks1.img"), offset,
                Cryptsetup.volumeKey(dir, "luks1.img", "pw.txt", 1), "aes-cbc-essiv:sha256", 512);
        Qemu.img(dir, "convert", "-f", "raw", "-O", "qcow2", "luks1.img", "whole-luks1.qcow2");

        // An LVM PV inside LUKS2 on an MBR partition.
        Path pv = dir.resolve("pv.img");
        Files.copy(LuksNestingTest.class.getResourceAsStream("/org/disklens/content/lvm/fixtures/whole-disk-pv.img"), pv);
        Tools.run(dir, "truncate", "-s", "20M", "lvm-luks.img");
        Cryptsetup.format(dir, "lvm-luks.img", "pw.txt", "--type", "luks2", "--pbkdf", "pbkdf2", "--iter-time", "50");
        String lvmDump = Cryptsetup.dump(dir, "lvm-luks.img");
        lvmUuid = Cryptsetup.field(lvmDump, "UUID:").orElseThrow();
        LuksImages.encryptInto(pv, dir.resolve("lvm-luks.img"), Long.parseLong(Cryptsetup.field(lvmDump, "offset:")
                .orElseThrow()), Cryptsetup.volumeKey(dir, "lvm-luks.img", "pw.txt", 2), "aes-xts-plain64",
                Integer.parseInt(Cryptsetup.field(lvmDump, "sector:").orElseThrow()));
        Tools.run(dir, "truncate", "-s", "24M", "lvm-disk.raw");
        Files.writeString(dir.resolve("mbr.sfdisk"), "label: dos\nstart=2048, size=%d, type=83\n".formatted(20 * MIB / 512));
        Tools.run(dir, "sh", "-c", "sfdisk -q lvm-disk.raw < mbr.sfdisk");
        Tools.run(dir, "dd", "if=lvm-luks.img", "of=lvm-disk.raw", "bs=1M", "seek=1", "conv=notrunc,sparse",
                "status=none");

        // qemu's LUKS1, written through qemu's decryption.
        Qemu.img(dir, "create", "-f", "luks", "--object", "secret,id=s,file=" + dir.resolve("pw.txt"), "-o",
                "key-secret=s,iter-time=50", "qemu.luks", "4M");
        Tools.run(dir, "qemu-io", "--object", "secret,id=s,file=" + dir.resolve("pw.txt"), "--image-opts",
                "driver=luks,key-secret=s,file.filename=" + dir.resolve("qemu.luks"), "-c", "write -P 0x5a 0 1M");
        qemuUuid = Cryptsetup.field(Cryptsetup.dump(dir, "qemu.luks"), "UUID:").orElseThrow();
        Qemu.img(dir, "convert", "-f", "raw", "-O", "qcow2", "qemu.luks", "qemu-luks.qcow2");
    }

    @Test
    void aLuks1WholeDiskListsAndReadsItsFiles() throws IOException {
        String image = dir.resolve("whole-luks1.qcow2").toString();
        String pw = dir.resolve("pw.txt").toString();
        Cli.Result ls = Cli.run("ls", "-R", "--json", "--passphrase-file", pw, image);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        assertThat(LuksDiskTest.listing(ls.json())).containsAllEntriesOf(LuksDiskTest.tree(dir.resolve("tree")));
        Cli.Result cat = Cli.run("cat", "--passphrase-file", pw, "-m", "luks-" + luks1Uuid, image, "/docs/readme.txt");
        assertThat(cat.exitCode()).as(cat.err()).isZero();
        assertThat(cat.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("tree/docs/readme.txt")));

        Cli.Result info = Cli.run("info", "--json", "--passphrase-file", pw, image);
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode whole = info.json().get("partitions").get(0);
        assertThat(whole.get("index").asInt()).isZero();
        assertThat(whole.get("filesystem").get("type").asText()).isEqualTo("crypto_LUKS");
        JsonNode luks = whole.get("luks");
        assertThat(luks.get("version").asInt()).isEqualTo(1);
        assertThat(luks.get("cipher").asText()).isEqualTo("aes-cbc-essiv:sha256");
        assertThat(luks.get("key-size").asInt()).isEqualTo(256);
        assertThat(luks.get("unlocked").asBoolean()).isTrue();
        assertThat(luks.get("volumes").get(0).get("filesystem").get("label").asText()).isEqualTo("whole");

        Cli.Result df = Cli.run("df", "--json", "--passphrase-file", pw, image);
        assertThat(df.exitCode()).as(df.err()).isZero();
        assertThat(df.json()).hasSize(1);
        assertThat(df.json().get(0).get("filesystem").asText()).isEqualTo(image + ":luks-" + luks1Uuid);
        assertThat(df.json().get(0).get("type").asText()).isEqualTo("ext4");
    }

    @Test
    void withoutAPassphraseTheWholeDiskIsLockedAndSaysSo() {
        String image = dir.resolve("whole-luks1.qcow2").toString();
        Cli.Result ls = Cli.run("ls", image);
        assertThat(ls.exitCode()).isEqualTo(1);
        assertThat(ls.err().strip()).isEqualTo("disklens: %s: locked: give --passphrase-file".formatted(image));
        Cli.Result info = Cli.run("info", "--json", image);
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode luks = info.json().get("partitions").get(0).get("luks");
        assertThat(luks.get("unlocked").asBoolean()).isFalse();
        assertThat(luks.get("uuid").asText()).isEqualTo(luks1Uuid);
        Cli.Result wrong = Cli.run("cat", "--passphrase-file", dir.resolve("wrong.txt").toString(), image, "/motd");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().strip()).isEqualTo("disklens: %s: no key slot opens with this passphrase".formatted(image));
        assertThat(wrong.out()).isEmpty();
    }

    @Test
    void logicalVolumesInsideLuksReadAsFromThePlainPv() throws IOException {
        String image = dir.resolve("lvm-disk.raw").toString();
        Cli.Result info = Cli.run("info", "--json", "--passphrase-file", dir.resolve("pw.txt").toString(), image);
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode partition = info.json().get("partitions").get(0);
        assertThat(partition.get("filesystem").get("type").asText()).isEqualTo("crypto_LUKS");
        JsonNode inner = partition.get("luks").get("volumes").get(0);
        assertThat(inner.get("name").asText()).isEqualTo("luks-" + lvmUuid);
        assertThat(inner.get("filesystem").get("type").asText()).isEqualTo("LVM2_member");
        JsonNode lvm = inner.get("lvm");
        assertThat(lvm.get("vg").asText()).isEqualTo("fixvg");
        List<String> names = new ArrayList<>();
        lvm.get("lvs").forEach(lv -> names.add(lv.get("name").asText()));
        assertThat(names).contains("lin", "far", "two");

        try (FileBlockSource plain = FileBlockSource.open(dir.resolve("pv.img"));
             FileBlockSource disk = FileBlockSource.open(dir.resolve("lvm-disk.raw"));
             Passphrases passphrases = Passphrases.of(SECRET.getBytes())) {
            List<Volume> expected = lvs(DiskLayout.allVolumes(plain));
            List<Volume> found = lvs(DiskLayout.allVolumes(disk, passphrases));
            // The fixture file ends before LV far's extents (the lvm tests check that it says so); the LUKS payload
            // is larger, so far reads there too (whatever the LUKS file holds there, decrypted).
            assertThat(expected.stream().map(Volume::id).toList()).containsExactly("fixvg/lin", "fixvg/two", "fixvg/origin");
            assertThat(found.stream().map(Volume::id).toList()).containsExactly("fixvg/lin", "fixvg/two", "fixvg/origin",
                    "fixvg/far");
            for (int i = 0; i < expected.size(); i++) {
                assertThat(bytes(found.get(i).bytes())).as(found.get(i).id()).isEqualTo(bytes(expected.get(i).bytes()));
            }
            List<Volume> locked = lvs(DiskLayout.allVolumes(disk));
            assertThat(locked).as("nothing inside a locked volume is seen").isEmpty();
        }
    }

    private static List<Volume> lvs(List<Volume> volumes) {
        return volumes.stream().filter(volume -> volume.id().startsWith("fixvg/")).toList();
    }

    @Test
    void qemusLuksReadAsARawDiskDecryptsToWhatQemuWrote() throws IOException {
        try (ImageChain chain = new ImageOpener(OpenPolicy.DEFAULT).openChain(dir.resolve("qemu-luks.qcow2"),
                Optional.empty(), true);
             Passphrases passphrases = Passphrases.of(SECRET.getBytes())) {
            GuestView guest = new GuestView(chain);
            List<VolumeContainer.Group> groups = DiskLayout.groups(DiskLayout.read(guest), passphrases);
            assertThat(groups).hasSize(1);
            VolumeContainer.Group group = groups.getFirst();
            assertThat(group.kind()).isEqualTo("luks");
            assertThat(group.facts()).containsEntry("version", 1).containsEntry("uuid", qemuUuid)
                    .containsEntry("cipher", "aes-xts-plain64").containsEntry("unlocked", true);
            Optional<Volume> volume = group.volumes().getFirst().volume();
            assertThat(volume).isPresent();
            byte[] first = new byte[(int) MIB];
            volume.get().bytes().read(0, ByteBuffer.wrap(first));
            byte[] pattern = new byte[(int) MIB];
            Arrays.fill(pattern, (byte) 0x5a);
            assertThat(first).isEqualTo(pattern);
            assertThat(volume.get().bytes().size()).isEqualTo(4 * MIB);
        }
        Cli.Result wrong = Cli.run("info", "--json", "--passphrase-file", dir.resolve("wrong.txt").toString(),
                dir.resolve("qemu-luks.qcow2").toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("no key slot opens with this passphrase").doesNotContain("not it");
    }

    private static byte[] bytes(BlockSource source) throws IOException {
        byte[] out = new byte[(int) source.size()];
        source.read(0, ByteBuffer.wrap(out));
        return out;
    }
}

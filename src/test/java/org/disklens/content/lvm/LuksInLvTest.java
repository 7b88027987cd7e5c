package org.disklens.content.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.content.lvm.LvmTools.linear;
import static org.disklens.content.lvm.LvmTools.logicalVolumes;
import static org.disklens.content.lvm.LvmTools.lv;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.disklens.crypto.Cryptsetup;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LUKS2 volume in an LVM logical volume (the common "LUKS on LVM" layout): a PV made by pvcreate/vgcreate on a loop
 * device over a whole disk, LV {@code vgc/secret} starting at its third extent, holding an ext4 ({@code mke2fs -d})
 * that {@code cryptsetup reencrypt --encrypt} encrypted in place; the disk converted to qcow2 by qemu-img. The CLI
 * with {@code --passphrase-file} lists and reads the tree's files, {@code info --json} shows the {@code luks} group
 * inside the LV's entry, and without a passphrase the LV is a locked {@code crypto_LUKS}.
 */
class LuksInLvTest {
    private static final long MIB = 1 << 20;

    @TempDir
    static Path dir;
    static String uuid;
    static String image;

    @BeforeAll
    static void makeDisk() throws IOException {
        Qemu.require();
        Cryptsetup.require();
        Tools.require("mke2fs");
        Path pvFile = dir.resolve("pv.img");
        Tools.run(dir, "truncate", "-s", "48M", pvFile.toString());
        long peStart;
        try (LvmTools lvm = LvmTools.open(dir)) {
            String pv = lvm.attach(pvFile);
            lvm.lvm("pvcreate", "-y", pv);
            lvm.lvm("vgcreate", "-s", "1m", "vgc", pv);
            lvm.restoreWith("vgc", logicalVolumes(lv("secret", true, linear(0, 40, "pv0", 2))));
            peStart = lvm.report("pvs", "pv", "-o", "pe_start", pv).getFirst().get("pe_start").asLong();
        }
        Files.createDirectories(dir.resolve("tree/etc"));
        Files.writeString(dir.resolve("tree/etc/crypttab"), "secret UUID=… none luks\n");
        Files.writeString(dir.resolve("tree/data.txt"), "kept under LUKS on LVM\n".repeat(2000));
        Files.writeString(dir.resolve("pw.txt"), "lv passphrase\n");
        Tools.run(dir, "truncate", "-s", "40M", "secret.img");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-L", "inlv", "-d", "tree", "secret.img", "8M");
        Tools.run(dir, "cryptsetup", "reencrypt", "--encrypt", "--type", "luks2", "--reduce-device-size", "32M",
                "--force-offline-reencrypt", "--pbkdf", "pbkdf2", "--pbkdf-force-iterations=1000", "--batch-mode",
                "--key-file", "pw.txt", "secret.img");
        uuid = Cryptsetup.field(Cryptsetup.dump(dir, "secret.img"), "UUID:").orElseThrow();
        LvmTools.write(pvFile, peStart + 2 * MIB, Files.readAllBytes(dir.resolve("secret.img")));
        Qemu.img(dir, "convert", "-f", "raw", "-O", "qcow2", "pv.img", "disk.qcow2");
        image = dir.resolve("disk.qcow2").toString();
    }

    @Test
    void theFilesInsideReadThroughTheLvAndTheEncryption() throws IOException {
        // cryptsetup --key-file takes the file's bytes as they are, newline included: DiskLens tries those second.
        String pw = dir.resolve("pw.txt").toString();
        Cli.Result ls = Cli.run("ls", "-R", "--json", "--passphrase-file", pw, image);
        assertThat(ls.exitCode()).as(ls.err()).isZero();
        List<String> paths = new ArrayList<>();
        ls.json().forEach(entry -> paths.add(entry.get("path").asText()));
        assertThat(paths).contains("/etc", "/etc/crypttab", "/data.txt");
        Cli.Result cat = Cli.run("cat", "--passphrase-file", pw, "-m", "luks-" + uuid, image, "/data.txt");
        assertThat(cat.exitCode()).as(cat.err()).isZero();
        assertThat(cat.bytes()).isEqualTo(Files.readAllBytes(dir.resolve("tree/data.txt")));

        Cli.Result info = Cli.run("info", "--json", "--passphrase-file", pw, image);
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode secret = info.json().get("partitions").get(0).get("lvm").get("lvs").get(0);
        assertThat(secret.get("name").asText()).isEqualTo("secret");
        assertThat(secret.get("filesystem").get("type").asText()).isEqualTo("crypto_LUKS");
        JsonNode luks = secret.get("luks");
        assertThat(luks.get("version").asInt()).isEqualTo(2);
        assertThat(luks.get("unlocked").asBoolean()).isTrue();
        JsonNode inner = luks.get("volumes").get(0);
        assertThat(inner.get("name").asText()).isEqualTo("luks-" + uuid);
        assertThat(inner.get("filesystem").get("type").asText()).isEqualTo("ext4");
        assertThat(inner.get("filesystem").get("label").asText()).isEqualTo("inlv");

        Cli.Result df = Cli.run("df", "--json", "--passphrase-file", pw, image);
        assertThat(df.exitCode()).as(df.err()).isZero();
        List<String> rows = new ArrayList<>();
        df.json().forEach(row -> rows.add(row.get("filesystem").asText()));
        assertThat(rows).containsExactly(image + ":luks-" + uuid);
    }

    @Test
    void withoutAPassphraseTheLvIsALockedLuksVolume() {
        Cli.Result info = Cli.run("info", "--json", image);
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode secret = info.json().get("partitions").get(0).get("lvm").get("lvs").get(0);
        assertThat(secret.get("filesystem").get("type").asText()).isEqualTo("crypto_LUKS");
        assertThat(secret.get("luks").get("unlocked").asBoolean()).isFalse();
        assertThat(secret.get("luks").get("volumes").get(0).get("unreadable").asText())
                .isEqualTo("locked: give --passphrase-file");
        Cli.Result ls = Cli.run("ls", "-m", "vgc/secret", image);
        assertThat(ls.exitCode()).isEqualTo(1);
        assertThat(ls.err().strip()).doesNotContain("\n").endsWith(
                "volume vgc/secret of disk.qcow2 is encrypted (LUKS): its contents are volume luks-%s, locked: give --passphrase-file"
                        .formatted(uuid));
        Cli.Result df = Cli.run("df", "--json", image);
        assertThat(df.exitCode()).as(df.err()).isZero();
        assertThat(df.json()).as("a locked volume's ciphertext is never free").isEmpty();
    }
}

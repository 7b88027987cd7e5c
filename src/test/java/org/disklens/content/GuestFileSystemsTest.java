package org.disklens.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest disk as installers lay one out — an EFI system partition (FAT32, mkfs.vfat + mcopy) and a root partition
 * (ext4, mkfs.ext4 -d) in a GPT or an MBR table — read through every container: the raw disk, qcow2 compressed, a
 * qcow2 overlay over a backing file, a streamOptimized VMDK. Each lists and reads the same, and the same as the
 * source files; {@code -m} chooses the volume and without it the command names the choices.
 */
class GuestFileSystemsTest {
    private static final long ESP_START = 1L << 20;
    private static final long ESP_SIZE = 40L << 20;
    private static final long ROOT_START = ESP_START + ESP_SIZE;
    private static final long ROOT_SIZE = 24L << 20;

    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void makeDisks() throws IOException {
        Qemu.require();
        Tools.require("sgdisk", "sfdisk", "mkfs.vfat", "mcopy", "mkfs.ext4");
        tree = Files.createDirectories(dir.resolve("root/etc/ssh"));
        Files.writeString(tree.resolve("sshd_config"), "PermitRootLogin no\n");
        Files.writeString(dir.resolve("root/etc/fstab"), "UUID=1234 / ext4 defaults 0 1\n");
        byte[] random = new byte[300_000];
        new Random(5).nextBytes(random);
        Files.write(Files.createDirectories(dir.resolve("root/var/log")).resolve("syslog"), random);
        Files.writeString(Files.createDirectories(dir.resolve("esp/EFI/BOOT")).resolve("grub.cfg"), "set timeout=5\n");
        Tools.run(dir, "mkfs.vfat", "-F", "32", "-n", "EFI", "-C", "esp.img", Long.toString(ESP_SIZE >> 10));
        Tools.run(dir, "mcopy", "-s", "-m", "-i", "esp.img", "esp/EFI", "::/");
        Tools.run(dir, "mkfs.ext4", "-q", "-L", "root", "-d", "root", "root.img", (ROOT_SIZE >> 20) + "M");
        for (String table : List.of("gpt", "mbr")) {
            Path disk = dir.resolve(table + ".raw");
            Tools.run(dir, "truncate", "-s", Long.toString(ROOT_START + ROOT_SIZE + (1 << 20)), disk.toString());
            if (table.equals("gpt")) {
                Tools.run(dir, "sgdisk", "-n", "1:2048:+" + (ESP_SIZE >> 10) + "K", "-t", "1:EF00",
                        "-n", "2:" + (ROOT_START >> 9) + ":+" + (ROOT_SIZE >> 10) + "K", "-t", "2:8300", disk.toString());
            } else {
                Files.writeString(dir.resolve("mbr.layout"), "label: dos\nstart=2048, size=%d, type=ef\nstart=%d, size=%d, type=83\n"
                        .formatted(ESP_SIZE >> 9, ROOT_START >> 9, ROOT_SIZE >> 9));
                Tools.run(dir, "sh", "-c", "sfdisk -q " + disk + " < mbr.layout");
            }
            Tools.run(dir, "dd", "if=esp.img", "of=" + disk, "bs=1M", "seek=1", "conv=notrunc", "status=none");
            Tools.run(dir, "dd", "if=root.img", "of=" + disk, "bs=1M", "seek=" + (ROOT_START >> 20), "conv=notrunc",
                    "status=none");
            Qemu.img(dir, "convert", "-c", "-O", "qcow2", disk.toString(), table + "-compressed.qcow2");
            Qemu.img(dir, "convert", "-O", "qcow2", disk.toString(), table + "-base.qcow2");
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", table + "-base.qcow2", "-F", "qcow2", table + "-overlay.qcow2");
            Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", disk.toString(), table + "-stream.vmdk");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt.raw", "gpt-compressed.qcow2", "gpt-overlay.qcow2", "gpt-stream.vmdk", "mbr.raw",
        "mbr-compressed.qcow2", "mbr-overlay.qcow2", "mbr-stream.vmdk"})
    void everyContainerListsAndReadsBothFileSystemsAlike(String image) throws IOException {
        String table = image.substring(0, 3);
        assertThat(listing(image, "1")).isEqualTo(listing(table + ".raw", "1"))
                .contains("dir /EFI", "dir /EFI/BOOT", "file /EFI/BOOT/grub.cfg 14");
        assertThat(listing(image, "2")).isEqualTo(listing(table + ".raw", "2"))
                .contains("dir /etc", "file /etc/fstab " + Files.size(dir.resolve("root/etc/fstab")),
                        "file /var/log/syslog 300000");
        assertThat(cat(image, "2", "/var/log/syslog")).isEqualTo(Files.readAllBytes(dir.resolve("root/var/log/syslog")));
        assertThat(cat(image, "1", "/EFI/BOOT/grub.cfg")).isEqualTo("set timeout=5\n".getBytes());

        Cli.Result unnamed = Cli.run("ls", dir.resolve(image).toString());
        assertThat(unnamed.exitCode()).isEqualTo(1);
        assertThat(unnamed.err()).contains("holds 2 file systems: -m 1 (vfat \"EFI\"), -m 2 (ext4 \"root\")");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt.raw", "mbr-compressed.qcow2"})
    void posixAttributesAreListedWhereTheFileSystemHasThem(String image) {
        JsonNode ext = Cli.run("ls", "--json", "-m", "2", dir.resolve(image).toString(), "/etc").json();
        JsonNode fstab = find(ext, "/etc/fstab");
        assertThat(fstab.get("mode").asInt()).isEqualTo(Integer.parseInt("644", 8) & fstab.get("mode").asInt());
        assertThat(fstab.has("uid") && fstab.has("gid") && fstab.has("links") && fstab.has("inode")).isTrue();
        assertThat(fstab.get("links").asInt()).isEqualTo(1);
        JsonNode fat = Cli.run("ls", "--json", "-m", "1", dir.resolve(image).toString(), "/EFI/BOOT").json();
        assertThat(find(fat, "/EFI/BOOT/grub.cfg").has("mode")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"9", "2/x"})
    void anUnknownVolumeIsRefusedNamingTheChoices(String volume) {
        Cli.Result result = Cli.run("ls", "-m", volume, dir.resolve("gpt.raw").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("has no volume " + volume).contains("-m 1 (vfat \"EFI\")");
    }

    private static JsonNode find(JsonNode listing, String path) {
        for (JsonNode entry : listing) {
            if (entry.get("path").asText().equals(path)) {
                return entry;
            }
        }
        throw new AssertionError(path + " not listed: " + listing);
    }

    private static List<String> listing(String image, String volume) {
        Cli.Result result = Cli.run("ls", "-R", "--json", "-m", volume, dir.resolve(image).toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = new ArrayList<>();
        for (JsonNode entry : result.json()) {
            lines.add(entry.get("type").asText() + " " + entry.get("path").asText()
                    + (entry.get("type").asText().equals("file") ? " " + entry.get("size").asLong() : ""));
        }
        return lines;
    }

    private static byte[] cat(String image, String volume, String path) {
        Cli.Result result = Cli.run("cat", "-m", volume, dir.resolve(image).toString(), path);
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result.bytes();
    }
}

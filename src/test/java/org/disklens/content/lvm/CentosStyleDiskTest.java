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
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A disk laid out as CentOS and RHEL installers lay one out — GPT with an EFI system partition (FAT, mkfs.vfat and
 * mcopy), /boot on XFS (mkfs.xfs -p), and an LVM PV (pvcreate, vgcreate, vgcfgrestore) whose LVs hold the XFS root
 * and swap — as raw, as a compressed qcow2, and as a qcow2 overlay over that: every file system lists, reads and
 * extracts as the source trees, through every container alike.
 */
class CentosStyleDiskTest {
    private static final long MIB = 1 << 20;
    private static final long ESP = MIB;
    private static final long BOOT = 33 * MIB;
    private static final long PV = 334 * MIB;

    @TempDir
    static Path dir;
    static LvmTools lvm;

    @BeforeAll
    static void makeDisk() throws IOException {
        Qemu.require();
        Tools.require("sgdisk", "mkfs.vfat", "mcopy", "mkfs.xfs", "mkswap");
        lvm = LvmTools.open(dir);
        Random random = new Random(7);
        write("esp/EFI/BOOT/BOOTX64.EFI", random, 200_000);
        write("boot/vmlinuz", random, 1_000_000);
        write("boot/grub2/grub.cfg", "set default=0\n");
        write("root/etc/fstab", "/dev/mapper/centos-root / xfs defaults 0 0\n");
        write("root/etc/hostname", "centos7-02\n");
        write("root/var/log/messages", random, 700_000);
        Tools.run(dir, "mkfs.vfat", "-n", "EFI", "-C", "esp.img", Long.toString(32 * 1024));
        Tools.run(dir, "mcopy", "-s", "-m", "-i", "esp.img", "esp/EFI", "::/");
        xfs("boot");
        xfs("root");
        Tools.run(dir, "truncate", "-s", "16M", "swap.img");
        Tools.run(dir, "mkswap", "-q", "swap.img");
        Tools.run(dir, "truncate", "-s", (PV / MIB + 400) + "M", "disk.raw");
        Tools.run(dir, "sgdisk", "-n", "1:2048:+32M", "-t", "1:EF00", "-n", "2:" + BOOT / 512 + ":+301M", "-t", "2:8300",
                "-n", "3:" + PV / 512 + ":0", "-t", "3:8E00", "disk.raw");
        String pv = lvm.attach(dir.resolve("disk.raw"), PV, 398 * MIB);
        lvm.lvm("pvcreate", "-y", pv);
        lvm.lvm("vgcreate", "-s", "4m", "centos", pv);
        lvm.restoreWith("centos", logicalVolumes(lv("root", true, linear(0, 76, "pv0", 0)),
                lv("swap", true, linear(0, 4, "pv0", 80))));
        long peStart = lvm.report("pvs", "pv", "-o", "pe_start", pv).getFirst().get("pe_start").asLong();
        lvm.close();
        place("esp.img", ESP);
        place("boot.xfs", BOOT);
        place("root.xfs", PV + peStart);
        place("swap.img", PV + peStart + 80 * 4 * MIB);
        Qemu.img(dir, "convert", "-c", "-O", "qcow2", "disk.raw", "compressed.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "compressed.qcow2", "-F", "qcow2", "overlay.qcow2");
    }

    @AfterAll
    static void detach() {
        if (lvm != null) {
            lvm.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"disk.raw", "compressed.qcow2", "overlay.qcow2"})
    void everyFileSystemListsAndReadsAsItsSourceTree(String image) throws IOException {
        JsonNode partitions = Cli.run("info", "--json", dir.resolve(image).toString()).json().get("partitions");
        assertThat(partitions.get(0).get("filesystem").get("type").asText()).isEqualTo("vfat");
        assertThat(partitions.get(1).get("filesystem").get("type").asText()).isEqualTo("xfs");
        JsonNode lvs = partitions.get(2).get("lvm").get("lvs");
        assertThat(partitions.get(2).get("lvm").get("vg").asText()).isEqualTo("centos");
        assertThat(lvs.get(0).get("filesystem").get("type").asText()).isEqualTo("xfs");
        assertThat(lvs.get(1).get("filesystem").get("type").asText()).isEqualTo("swap");

        assertThat(listing(image, "1")).contains("file /EFI/BOOT/BOOTX64.EFI 200000");
        assertThat(listing(image, "2")).contains("file /vmlinuz 1000000", "file /grub2/grub.cfg 14");
        assertThat(listing(image, "centos/root")).contains("file /etc/hostname 11", "file /var/log/messages 700000");
        for (String[] file : new String[][] {{"1", "/EFI/BOOT/BOOTX64.EFI", "esp"}, {"2", "/vmlinuz", "boot"},
            {"centos/root", "/var/log/messages", "root"}, {"centos/root", "/etc/fstab", "root"}}) {
            Cli.Result cat = Cli.run("cat", "-m", file[0], dir.resolve(image).toString(), file[1]);
            assertThat(cat.exitCode()).as(cat.err()).isZero();
            assertThat(cat.bytes()).isEqualTo(Files.readAllBytes(dir.resolve(file[2] + file[1])));
        }
        Path out = dir.resolve("extracted-" + image);
        Cli.Result extract = Cli.run("extract", "-m", "centos/root", dir.resolve(image).toString(), "/etc", out.toString());
        assertThat(extract.exitCode()).as(extract.err()).isZero();
        assertThat(out.resolve("hostname")).hasSameTextualContentAs(dir.resolve("root/etc/hostname"));
        JsonNode df = Cli.run("df", "--json", dir.resolve(image).toString()).json();
        List<String> types = new ArrayList<>();
        df.forEach(row -> types.add(row.get("filesystem").asText().replaceAll(".*:", "") + " " + row.get("type").asText()));
        assertThat(types).contains("1 vfat", "2 xfs", "centos/root xfs");
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

    /** An XFS of 300 MiB (mkfs.xfs's smallest) filled from {@code tree} through a protofile. */
    private static void xfs(String tree) throws IOException {
        StringBuilder proto = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
        protoLines(dir.resolve(tree), proto, "");
        proto.append("$\n");
        Files.writeString(dir.resolve(tree + ".proto"), proto);
        Tools.run(dir, "truncate", "-s", "300M", tree + ".xfs");
        Tools.run(dir, "mkfs.xfs", "-q", "-f", "-p", tree + ".proto", tree + ".xfs");
    }

    private static void protoLines(Path folder, StringBuilder proto, String indent) throws IOException {
        try (var entries = Files.list(folder)) {
            for (Path entry : entries.sorted().toList()) {
                if (Files.isDirectory(entry)) {
                    proto.append(indent).append(entry.getFileName()).append(" d--755 0 0\n");
                    protoLines(entry, proto, indent + " ");
                    proto.append(indent).append("$\n");
                } else {
                    proto.append(indent).append(entry.getFileName()).append(" ---644 0 0 ").append(entry).append('\n');
                }
            }
        }
    }

    private static void place(String image, long offset) {
        Tools.run(dir, "dd", "if=" + image, "of=disk.raw", "bs=1M", "seek=" + offset / MIB, "conv=notrunc,sparse",
                "status=none");
    }

    private static void write(String path, Random random, int size) throws IOException {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        Files.write(Files.createDirectories(dir.resolve(path).getParent()).resolve(dir.resolve(path).getFileName()), bytes);
    }

    private static void write(String path, String text) throws IOException {
        Files.writeString(Files.createDirectories(dir.resolve(path).getParent()).resolve(dir.resolve(path).getFileName()),
                text);
    }
}

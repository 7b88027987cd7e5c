package org.disklens.content.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Partitions made by sfdisk and sgdisk and file systems made by mkfs.* (populated without mounting), read by
 * DiskLens's {@code info --json} and compared with what sfdisk and blkid say about the same bytes.
 */
class DiskLayoutAgreementTest {
    @TempDir
    static Path dir;

    /** A file system and how to make it in a file of {@code megabytes}. */
    record Maker(String name, String tool, int megabytes, List<String> command) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Maker> filesystems() {
        return Stream.of(
                new Maker("ext2", "mkfs.ext2", 16, List.of("mkfs.ext2", "-q", "-L", "old", "FILE")),
                new Maker("ext3", "mkfs.ext3", 16, List.of("mkfs.ext3", "-q", "-L", "journal", "FILE")),
                new Maker("ext4", "mkfs.ext4", 32, List.of("mkfs.ext4", "-q", "-L", "rootfs", "-d", "SOURCE", "FILE")),
                new Maker("xfs", "mkfs.xfs", 300, List.of("mkfs.xfs", "-q", "-L", "xdata", "FILE")),
                new Maker("btrfs", "mkfs.btrfs", 128, List.of("mkfs.btrfs", "-q", "-L", "pool", "FILE")),
                new Maker("ntfs", "mkntfs", 16, List.of("mkntfs", "-q", "-F", "-f", "-L", "WINDATA", "FILE")),
                new Maker("fat12", "mkfs.vfat", 2, List.of("mkfs.vfat", "-F", "12", "-n", "SMALL", "FILE")),
                new Maker("fat16", "mkfs.vfat", 32, List.of("mkfs.vfat", "-F", "16", "-n", "MIDDLE", "FILE")),
                new Maker("fat32", "mkfs.vfat", 64, List.of("mkfs.vfat", "-F", "32", "-n", "ESP", "FILE")),
                new Maker("exfat", "mkfs.exfat", 16, List.of("mkfs.exfat", "-L", "STICK", "FILE")),
                new Maker("swap", "mkswap", 8, List.of("mkswap", "-L", "swp", "FILE")),
                new Maker("luks2", "cryptsetup", 32, List.of("sh", "-c",
                        "printf pw | cryptsetup luksFormat --type luks2 -q --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --label secret FILE -")),
                new Maker("luks1", "cryptsetup", 8, List.of("sh", "-c",
                        "printf pw | cryptsetup luksFormat --type luks1 -q --iter-time 1 FILE -")),
                new Maker("udf", "mkudffs", 16, List.of("mkudffs", "--label=UDFVOL", "FILE")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filesystems")
    void aWholeDiskFileSystemAgreesWithBlkid(Maker maker) throws IOException {
        Tools.require(maker.tool(), "blkid");
        Path file = make(maker);
        Map<String, String> blkid = blkid(file);
        // A file that starts with LUKS1 is qemu's luks image format (probed as qemu does); read as a raw disk here.
        Cli.Result info = maker.name().equals("luks1") ? Cli.run("info", "--json", "-f", "raw", file.toString())
                : Cli.run("info", "--json", file.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode volume = info.json().get("partitions").get(0);
        assertThat(volume.get("scheme").asText()).isEqualTo("none");
        JsonNode filesystem = volume.get("filesystem");
        assertThat(filesystem.get("type").asText()).isEqualTo(blkid.get("TYPE"));
        assertThat(filesystem.get("uuid").asText()).isEqualToIgnoringCase(blkid.getOrDefault("UUID", ""));
        assertThat(filesystem.get("label").asText()).isEqualTo(blkid.getOrDefault("LABEL", ""));
    }

    @Test
    void ext4SizeAndUseAgreeWithDumpe2fs() throws IOException {
        Tools.require("mkfs.ext4", "dumpe2fs");
        Path file = make(filesystems().filter(maker -> maker.name().equals("ext4")).findFirst().orElseThrow());
        Map<String, String> header = new HashMap<>();
        for (String line : Tools.run(dir, "dumpe2fs", "-h", file.toString()).split("\n")) {
            String[] parts = line.split(":\\s+", 2);
            if (parts.length == 2) {
                header.put(parts[0].strip(), parts[1].strip());
            }
        }
        long blockSize = Long.parseLong(header.get("Block size"));
        long blocks = Long.parseLong(header.get("Block count"));
        long free = Long.parseLong(header.get("Free blocks"));
        JsonNode filesystem = Cli.run("info", "--json", file.toString()).json().get("partitions").get(0).get("filesystem");
        assertThat(filesystem.get("size").asLong()).isEqualTo(blocks * blockSize);
        assertThat(filesystem.get("used").asLong()).isEqualTo((blocks - free) * blockSize);
    }

    @Test
    void gptPartitionsAgreeWithSfdiskAlsoInsideAQcow2() throws IOException {
        Tools.require("sgdisk", "sfdisk", "mkfs.ext4", "mkfs.vfat");
        Qemu.require();
        Path disk = dir.resolve("gpt.raw");
        Tools.run(dir, "truncate", "-s", "128M", disk.toString());
        Tools.run(dir, "sgdisk", "-n", "1:2048:+16M", "-t", "1:EF00", "-c", "1:EFI system", "-n", "2:0:+40M", "-t", "2:8300",
                "-c", "2:root", "-n", "3:0:0", "-t", "3:8E00", disk.toString());
        place(disk, 2048, make(filesystems().filter(maker -> maker.name().equals("fat16")).findFirst().orElseThrow()), 16);
        assertAgreesWithSfdisk(disk, "gpt");
        Path qcow2 = dir.resolve("gpt.qcow2");
        Qemu.img(dir, "convert", "-O", "qcow2", disk.toString(), qcow2.toString());
        // What is reclaimable depends on what each container stores; the partitions and file systems do not.
        assertThat(withoutReclaimable(Cli.run("info", "--json", qcow2.toString()).json().get("partitions")))
                .isEqualTo(withoutReclaimable(Cli.run("info", "--json", disk.toString()).json().get("partitions")));
    }

    private static JsonNode withoutReclaimable(JsonNode partitions) {
        JsonNode copy = partitions.deepCopy();
        copy.forEach(partition -> {
            if (partition.get("filesystem") instanceof com.fasterxml.jackson.databind.node.ObjectNode filesystem) {
                filesystem.remove("reclaimable");
            }
        });
        return copy;
    }

    @Test
    void mbrWithExtendedAndLogicalPartitionsAgreesWithSfdisk() throws IOException {
        Tools.require("sfdisk");
        Path disk = dir.resolve("mbr.raw");
        Tools.run(dir, "truncate", "-s", "64M", disk.toString());
        Tools.run(dir, "sh", "-c", "printf 'label: dos\\n,8M,83,*\\n,8M,82\\n,,5\\n,10M,83\\n,10M,7\\n,,8e\\n' | sfdisk -q "
                + disk);
        assertAgreesWithSfdisk(disk, "mbr");
    }

    @Test
    void aDamagedPrimaryGptFallsBackToTheBackup() throws IOException {
        Tools.require("sgdisk", "sfdisk");
        Path disk = dir.resolve("damaged.raw");
        Tools.run(dir, "truncate", "-s", "32M", disk.toString());
        Tools.run(dir, "sgdisk", "-n", "1:2048:+8M", "-t", "1:8300", "-c", "1:data", disk.toString());
        JsonNode before = Cli.run("info", "--json", disk.toString()).json().get("partitions");
        try (var channel = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap("NOT PART".getBytes()), 512);
        }
        assertThat(Cli.run("info", "--json", disk.toString()).json().get("partitions")).isEqualTo(before);
    }

    private static void assertAgreesWithSfdisk(Path disk, String scheme) {
        JsonNode table = Cli.parse(Tools.run(dir, "sfdisk", "-J", disk.toString())).get("partitiontable");
        JsonNode ours = Cli.run("info", "--json", disk.toString()).json().get("partitions");
        assertThat(ours.size()).isEqualTo(table.get("partitions").size());
        for (int i = 0; i < ours.size(); i++) {
            JsonNode theirs = table.get("partitions").get(i);
            JsonNode mine = ours.get(i);
            assertThat(mine.get("scheme").asText()).isEqualTo(scheme);
            assertThat(theirs.get("node").asText()).endsWith(Integer.toString(mine.get("index").asInt()));
            assertThat(mine.get("start").asLong()).isEqualTo(theirs.get("start").asLong() * 512);
            assertThat(mine.get("length").asLong()).isEqualTo(theirs.get("size").asLong() * 512);
            if (theirs.has("name")) {
                assertThat(mine.get("name").asText()).isEqualTo(theirs.get("name").asText());
            }
            String type = theirs.get("type").asText();
            assertThat(scheme.equals("gpt") ? mine.get("type").asText() : "0x" + type)
                    .isEqualTo(scheme.equals("gpt") ? gptName(type) : "0x" + type);
        }
    }

    private static String gptName(String guid) {
        return switch (guid.toUpperCase()) {
            case "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" -> "EFI System";
            case "0FC63DAF-8483-4772-8E79-3D69D8477DE4" -> "Linux filesystem";
            case "E6D6D379-F507-44C2-A23C-238F2A3DF928" -> "Linux LVM";
            default -> guid;
        };
    }

    private static Path make(Maker maker) throws IOException {
        Path file = dir.resolve(maker.name() + ".img");
        if (Files.exists(file)) {
            return file;
        }
        Tools.run(dir, "truncate", "-s", maker.megabytes() + "M", file.toString());
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve("hello.txt"), "hello\n");
        List<String> command = maker.command().stream()
                .map(part -> part.replace("FILE", file.toString()).replace("SOURCE", source.toString())).toList();
        Tools.run(dir, command.toArray(String[]::new));
        return file;
    }

    private static void place(Path disk, long sector, Path filesystem, int megabytes) {
        Tools.run(dir, "dd", "if=" + filesystem, "of=" + disk, "bs=512", "seek=" + sector, "conv=notrunc", "status=none");
    }

    private static Map<String, String> blkid(Path file) {
        Map<String, String> values = new HashMap<>();
        for (String line : Tools.run(dir, "blkid", "-p", "-o", "export", file.toString()).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}

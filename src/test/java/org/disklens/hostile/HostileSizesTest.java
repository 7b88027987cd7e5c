package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sizes a guest file system's own structure claims that cannot be true — a block count near 2^64, more free blocks
 * than blocks, a 512 GiB file system in an 8 MiB partition, an NTFS sector count of 2^63 — poked into volumes the
 * reference tools made, in the 8 MiB first partition of a GPT disk (or over a whole ISO, XFS or Btrfs disk).
 * {@code info} leaves the impossible field out, says why on stderr, and never prints a negative number.
 */
class HostileSizesTest {
    private static final long PARTITION = 1 << 20;

    @TempDir
    Path dir;

    /** One hostile volume: the tool that makes it, the bytes poked (little-endian), and what must be left out. */
    enum Variant {
        EXT4_LOG_BLOCK_SIZE_40("ext4", List.of(new Poke(1024 + 24, 40, 4)), "superblock: log_block_size 40", true, true),
        EXT4_BLOCKS_NEAR_2_64("ext4", List.of(new Poke(1024 + 4, 0xfffffff0L, 4), new Poke(1024 + 0x150, 0xffffffffL, 4),
                Poke.setBits(1024 + 96, 0x80, 4)), "cannot be a size", true, true),
        EXT4_BLOCKS_OVERFLOW("ext4", List.of(new Poke(1024 + 4, 0xffffffffL, 4), new Poke(1024 + 0x150, 0x003fffffL, 4),
                Poke.setBits(1024 + 96, 0x80, 4)), "overflow a 64-bit size", true, true),
        EXT4_LARGER_THAN_ITS_PARTITION("ext4", List.of(new Poke(1024 + 4, 9000, 4)), "more than its volume of 8388608 bytes (8 MiB)", true, true),
        EXT4_MORE_FREE_THAN_BLOCKS("ext4", List.of(new Poke(1024 + 12, 0xffffffffL, 4)), "free blocks are more than", false, true),
        NTFS_SECTORS_2_63("ntfs", List.of(new Poke(40, Long.MIN_VALUE, 8)), "boot sector: 9223372036854775808 sectors", true, false),
        NTFS_LARGER_THAN_ITS_PARTITION("ntfs", List.of(new Poke(40, 1L << 20, 8)), "more than its volume of 8388608 bytes (8 MiB)", true, false),
        VFAT_SECTORS_OVER_ITS_PARTITION("vfat", List.of(new Poke(19, 0, 2), new Poke(32, 0xffffffffL, 4)),
                "more than its volume of 8388608 bytes (8 MiB)", true, false),
        EXFAT_SECTORS_2_63("exfat", List.of(new Poke(72, Long.MIN_VALUE, 8)), "cannot be a size", true, false),
        SWAP_PAGES_PAST_ITS_PARTITION("swap", List.of(new Poke(1024 + 4, 0xfffffff0L, 4)), "more than its volume of 8388608 bytes (8 MiB)",
                true, false),
        ISO_VOLUME_SPACE_PAST_THE_FILE("iso9660", List.of(new Poke(16 * 2048 + 80, 0x00ffffffL, 4)),
                "primary volume descriptor: 16777215 blocks of 2 KiB make 34359736320 bytes (32 GiB)", true, false),
        XFS_BLOCKS_NEAR_2_64("xfs", List.of(Poke.bigEndian(8, -16L, 8)), "superblock: 18446744073709551600 blocks of 4 KiB cannot be a size",
                true, true),
        XFS_BLOCKS_OVERFLOW("xfs", List.of(Poke.bigEndian(8, 1L << 53, 8)), "overflow a 64-bit size", true, true),
        XFS_BLOCK_SIZE_2_GIB("xfs", List.of(Poke.bigEndian(4, 1L << 31, 4)), "blocks of 2 GiB make", true, true),
        XFS_MORE_FREE_THAN_BLOCKS("xfs", List.of(Poke.bigEndian(144, Long.MAX_VALUE, 8)),
                "superblock: 9223372036854775807 free blocks are more than", false, true),
        BTRFS_TOTAL_2_63("btrfs", List.of(new Poke(0x10000 + 0x70, Long.MIN_VALUE, 8)),
                "superblock: 9223372036854775808 bytes cannot be a size", true, true),
        BTRFS_LARGER_THAN_ITS_DEVICE("btrfs", List.of(new Poke(0x10000 + 0x70, 1L << 40, 8)),
                "more than its volume of 134217728 bytes (128 MiB)", true, true),
        BTRFS_MORE_USED_THAN_TOTAL("btrfs", List.of(new Poke(0x10000 + 0x78, Long.MAX_VALUE, 8)),
                "superblock: 9223372036854775807 bytes used are more than its size", false, true);

        final String tool;
        final List<Poke> pokes;
        final String why;
        final boolean sizeLeftOut;
        final boolean usedLeftOut;

        Variant(String tool, List<Poke> pokes, String why, boolean sizeLeftOut, boolean usedLeftOut) {
            this.tool = tool;
            this.pokes = pokes;
            this.why = why;
            this.sizeLeftOut = sizeLeftOut;
            this.usedLeftOut = usedLeftOut;
        }
    }

    /**
     * {@code value} written at {@code offset} (little-endian unless {@code bigEndian}), or with {@code bits}, OR-ed
     * into what is there (a feature flag).
     */
    record Poke(long offset, long value, int width, boolean bits, boolean bigEndian) {
        Poke(long offset, long value, int width) {
            this(offset, value, width, false, false);
        }

        static Poke setBits(long offset, long value, int width) {
            return new Poke(offset, value, width, true, false);
        }

        static Poke bigEndian(long offset, long value, int width) {
            return new Poke(offset, value, width, false, true);
        }
    }

    /** File systems the reference tool makes over a whole disk (XFS needs 300 MiB, Btrfs 114 MiB: sparse files). */
    private static boolean wholeDisk(String tool) {
        return List.of("iso9660", "xfs", "btrfs").contains(tool);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void anImpossibleSizeIsLeftOutAndSaid(Variant variant) throws IOException {
        Path disk = switch (variant.tool) {
            case "iso9660" -> iso();
            case "xfs" -> wholeDiskVolume("xfs", "300M", "mkfs.xfs", "-q", "-f");
            case "btrfs" -> wholeDiskVolume("btrfs", "128M", "mkfs.btrfs", "-q", "-f");
            default -> diskWith(volume(variant.tool));
        };
        long base = wholeDisk(variant.tool) ? 0 : PARTITION;
        for (Poke poke : variant.pokes) {
            long value = poke.bits() ? poke.value() | readLittleEndian(disk, base + poke.offset(), poke.width()) : poke.value();
            Hostile.pokeInPlace(disk, base + poke.offset(), poke.bigEndian() ? value : littleEndian(value, poke.width()),
                    poke.width());
        }
        Cli.Result info = Hostile.runSafely(disk, "info", "--json", disk.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertNoNegativeNumber(info.json(), "$");
        JsonNode filesystem = info.json().get("partitions").get(0).get("filesystem");
        assertThat(filesystem).as(info.out()).isNotNull();
        assertThat(filesystem.has("size")).as("size in %s", filesystem).isEqualTo(!variant.sizeLeftOut);
        if (variant.usedLeftOut) {
            assertThat(filesystem.has("used")).as("used in %s", filesystem).isFalse();
        }
        if (filesystem.has("size")) {
            assertThat(filesystem.get("size").asLong()).isLessThanOrEqualTo(info.json().get("partitions").get(0).get("length").asLong());
            assertThat(filesystem.path("used").asLong(0)).isLessThanOrEqualTo(filesystem.get("size").asLong());
        }
        String where = wholeDisk(variant.tool) ? "whole disk" : "partition 1";
        assertThat(info.err()).startsWith("disklens: warning: %s: %s: %s".formatted(disk.getFileName(), where,
                filesystem.get("type").asText())).contains(variant.why);
    }

    /** An 8 MiB volume made by the reference tool for {@code tool}. */
    private Path volume(String tool) {
        Path volume = dir.resolve(tool + ".volume");
        Tools.run(dir, "truncate", "-s", "8M", volume.toString());
        switch (tool) {
            case "ext4" -> Tools.run(dir, "mkfs.ext4", "-q", "-F", volume.toString());
            case "ntfs" -> {
                Tools.require("mkntfs");
                Tools.run(dir, "mkntfs", "-F", "-q", "-f", volume.toString());
            }
            case "vfat" -> Tools.run(dir, "mkfs.vfat", volume.toString());
            case "exfat" -> {
                Tools.require("mkfs.exfat");
                Tools.run(dir, "mkfs.exfat", volume.toString());
            }
            default -> Tools.run(dir, "mkswap", volume.toString());
        }
        return volume;
    }

    /** A 16 MiB GPT disk whose first partition, 8 MiB at 1 MiB, holds {@code volume}'s bytes. */
    private Path diskWith(Path volume) throws IOException {
        Path disk = dir.resolve("disk-" + volume.getFileName() + ".raw");
        Tools.run(dir, "truncate", "-s", "16M", disk.toString());
        Tools.run(dir, "sh", "-c", "printf 'label: gpt\\nstart=2048,size=16384\\n' | sfdisk -q " + disk);
        Tools.run(dir, "dd", "if=" + volume, "of=" + disk, "bs=1M", "seek=1", "conv=notrunc", "status=none");
        return disk;
    }

    /** A disk of {@code size} (sparse) holding, from its first byte, the file system {@code mkfs} makes. */
    private Path wholeDiskVolume(String name, String size, String... mkfs) {
        Tools.require(mkfs[0]);
        Path disk = dir.resolve(name + ".raw");
        Tools.run(dir, "truncate", "-s", size, disk.toString());
        List<String> command = new java.util.ArrayList<>(List.of(mkfs));
        command.add(disk.toString());
        Tools.run(dir, command.toArray(String[]::new));
        return disk;
    }

    private Path iso() throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.txt"), "a\n");
        Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-o", "disk.iso", tree.toString());
        return dir.resolve("disk.iso");
    }

    private static long readLittleEndian(Path file, long offset, int width) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file)) {
            channel.read(bytes.limit(width), offset);
        }
        return bytes.clear().getLong(0);
    }

    private static long littleEndian(long value, int width) {
        return Long.reverseBytes(value) >>> (64 - 8 * width);
    }

    private static void assertNoNegativeNumber(JsonNode node, String path) {
        if (node.isNumber()) {
            assertThat(node.asLong()).as(path).isNotNegative();
        }
        node.fields().forEachRemaining(field -> assertNoNegativeNumber(field.getValue(), path + "." + field.getKey()));
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            assertNoNegativeNumber(node.get(i), path + "[" + i + "]");
        }
    }
}

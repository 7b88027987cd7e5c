package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Space the guest has freed, told and dropped: an ext4 and a FAT32 filled, then files deleted with the reference
 * tools (debugfs rm, mdel) so that freed blocks still hold data, wrapped as qcow2 (plain, compressed, over a backing
 * file) and VMDK. {@code reclaimable} must equal the stored runs (qemu-img map) inside the free runs (dumpe2fs, the
 * FAT read by fsck.fat's own count), and {@code convert --sparsify} must keep every remaining file byte for byte,
 * satisfy e2fsck and fsck.fat, and drop at least 90 % of the freed data; {@code measure --sparsify} predicts it.
 */
class SparsifyTest {
    private static final long CLUSTER = 65536;
    private static final Pattern FREE_BLOCKS = Pattern.compile("^\\s+Free blocks: (.*)$", Pattern.MULTILINE);

    @TempDir
    static Path dir;
    static long freedBytes;

    @BeforeAll
    static void makeGuests() throws IOException {
        Qemu.require();
        Tools.require("mkfs.ext4", "debugfs", "dumpe2fs", "e2fsck", "mkfs.vfat", "mcopy", "mdel", "fsck.fat");
        Random random = new Random(17);
        for (String name : List.of("keep/a.bin", "gone/b.bin", "gone/c.bin", "keep/d.bin")) {
            byte[] bytes = new byte[name.startsWith("gone") ? 4_000_000 : 1_500_000];
            random.nextBytes(bytes);
            Files.write(Files.createDirectories(dir.resolve("tree").resolve(name).getParent()).resolve(
                    Path.of(name).getFileName()), bytes);
        }
        freedBytes = 8_000_000;
        Tools.run(dir, "mkfs.ext4", "-q", "-b", "4096", "-d", "tree", "ext.raw", "32M");
        Tools.run(dir, "debugfs", "-w", "-R", "rm /gone/b.bin", "ext.raw");
        Tools.run(dir, "debugfs", "-w", "-R", "rm /gone/c.bin", "ext.raw");
        Tools.run(dir, "mkfs.vfat", "-F", "32", "-C", "fat.raw", "40960");
        Tools.run(dir, "mcopy", "-s", "-m", "-i", "fat.raw", "tree/keep", "tree/gone", "::/");
        Tools.run(dir, "mdel", "-i", "fat.raw", "::/gone/b.bin", "::/gone/c.bin");
        for (String fs : List.of("ext", "fat")) {
            Qemu.img(dir, "convert", "-O", "qcow2", fs + ".raw", fs + ".qcow2");
            Qemu.img(dir, "convert", "-c", "-O", "qcow2", fs + ".raw", fs + "-compressed.qcow2");
            Qemu.img(dir, "convert", "-O", "qcow2", fs + ".raw", fs + "-base.qcow2");
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", fs + "-base.qcow2", "-F", "qcow2", fs + "-overlay.qcow2");
            Qemu.img(dir, "convert", "-O", "vmdk", fs + ".raw", fs + ".vmdk");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ext.qcow2", "ext-compressed.qcow2", "ext-overlay.qcow2", "ext.vmdk"})
    void reclaimableIsWhatTheImageStoresInTheSpaceDumpe2fsCallsFree(String image) {
        List<long[]> free = ext4FreeRuns();
        long expected = storedInside(image, free);
        JsonNode info = Cli.run("info", "--json", dir.resolve(image).toString()).json();
        assertThat(info.get("reclaimable").asLong()).isEqualTo(expected).isGreaterThanOrEqualTo(freedBytes * 9 / 10);
        assertThat(info.get("partitions").get(0).get("filesystem").get("reclaimable").asLong()).isEqualTo(expected);
        JsonNode df = Cli.run("df", "--json", dir.resolve(image).toString()).json();
        assertThat(df).hasSize(1);
        assertThat(df.get(0).get("reclaimable").asLong()).isEqualTo(expected);
        assertThat(df.get(0).get("type").asText()).isEqualTo("ext4");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ext.qcow2", "ext-compressed.qcow2", "ext-overlay.qcow2", "ext.vmdk"})
    void sparsifyingAnExt4KeepsEveryFileAndDropsWhatWasFreed(String image) throws IOException {
        Path sparse = convert(image, "sparse-" + image + ".qcow2", "--sparsify");
        Path plain = convert(image, "plain-" + image + ".qcow2");
        Path back = dir.resolve("back-" + image + ".raw");
        Qemu.img(dir, "convert", "-O", "raw", sparse.toString(), back.toString());
        Tools.Result fsck = Tools.exec(dir, "e2fsck", "-fn", back.toString());
        assertThat(fsck.exitCode()).as(fsck.out()).isZero();
        for (String kept : List.of("keep/a.bin", "keep/d.bin")) {
            Path out = dir.resolve("out-" + image + "-" + Path.of(kept).getFileName());
            Tools.run(dir, "debugfs", "-R", "dump /" + kept + " " + out, back.toString());
            assertThat(out).hasSameBinaryContentAs(dir.resolve("tree").resolve(kept));
        }
        assertThat(Qemu.check(dir, sparse.toString()).exitCode()).isZero();
        assertThat(Files.size(plain) - Files.size(sparse)).isGreaterThanOrEqualTo(freedBytes * 9 / 10);
        long predicted = Cli.run("measure", "--json", "--sparsify", "-O", "qcow2", dir.resolve(image).toString()).json()
                .get("required").asLong();
        assertThat(Math.abs(predicted - Files.size(sparse))).isLessThanOrEqualTo(CLUSTER);
    }

    @Test
    void sparsifyingAFat32KeepsEveryFileAndDropsWhatWasFreed() throws IOException {
        Path sparse = convert("fat-overlay.qcow2", "sparse-fat.qcow2", "--sparsify");
        Path plain = convert("fat-overlay.qcow2", "plain-fat.qcow2");
        Path back = dir.resolve("back-fat.raw");
        Qemu.img(dir, "convert", "-O", "raw", sparse.toString(), back.toString());
        assertThat(Tools.exec(dir, "fsck.fat", "-n", back.toString()).exitCode()).isZero();
        for (String kept : List.of("keep/a.bin", "keep/d.bin")) {
            Path out = dir.resolve("out-fat-" + Path.of(kept).getFileName());
            Tools.run(dir, "mcopy", "-n", "-i", back.toString(), "::/" + kept, out.toString());
            assertThat(out).hasSameBinaryContentAs(dir.resolve("tree").resolve(kept));
        }
        assertThat(Files.size(plain) - Files.size(sparse)).isGreaterThanOrEqualTo(freedBytes * 9 / 10);
    }

    @Test
    void aFreeMapThatFreesALiveFileIsNotTrustedAndTheFileSystemIsCopiedWhole() throws IOException {
        Path poked = Files.copy(dir.resolve("ext.raw"), dir.resolve("lying.raw"));
        // Clear the block bitmap bits of /keep/a.bin: the map now calls a live file's blocks free.
        long block = Long.parseLong(Tools.run(dir, "debugfs", "-R", "blocks /keep/a.bin", poked.toString()).strip()
                .split("\\s+")[0]);
        long bitmap = blockBitmapOfGroup0(poked);
        try (FileChannel file = FileChannel.open(poked, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long b = block; b < block + 64; b++) {
                ByteBuffer one = ByteBuffer.allocate(1);
                file.read(one, bitmap * 4096 + b / 8);
                one.put(0, (byte) (one.get(0) & ~(1 << (b % 8))));
                file.write(one.flip(), bitmap * 4096 + b / 8);
            }
        }
        Cli.Result result = Cli.run("convert", "--sparsify", "-O", "qcow2", poked.toString(),
                dir.resolve("lying.qcow2").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("left whole").contains("/keep/a.bin");
        Path out = dir.resolve("lying-a.bin");
        Qemu.img(dir, "convert", "-O", "raw", dir.resolve("lying.qcow2").toString(), dir.resolve("lying-back.raw").toString());
        // -n: the poked bitmap no longer matches its checksum, which debugfs would otherwise refuse.
        Tools.run(dir, "debugfs", "-n", "-R", "dump /keep/a.bin " + out, dir.resolve("lying-back.raw").toString());
        assertThat(out).hasSameBinaryContentAs(dir.resolve("tree/keep/a.bin"));
    }

    private static Path convert(String image, String target, String... extra) {
        List<String> args = new ArrayList<>(List.of("convert", "-O", "qcow2"));
        args.addAll(List.of(extra));
        args.add(dir.resolve(image).toString());
        args.add(dir.resolve(target).toString());
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return dir.resolve(target);
    }

    /** dumpe2fs's free block ranges, as byte runs. */
    private static List<long[]> ext4FreeRuns() {
        List<long[]> runs = new ArrayList<>();
        Matcher lines = FREE_BLOCKS.matcher(Tools.run(dir, "dumpe2fs", "ext.raw"));
        while (lines.find()) {
            for (String range : lines.group(1).split(",\\s*")) {
                if (range.isBlank()) {
                    continue;
                }
                String[] ends = range.strip().split("-");
                long first = Long.parseLong(ends[0]);
                long last = Long.parseLong(ends[ends.length - 1]);
                runs.add(new long[] {first * 4096, (last + 1) * 4096});
            }
        }
        return runs;
    }

    /** Bytes of {@code runs} that qemu-img map says the image (or its backing file) stores as data. */
    private static long storedInside(String image, List<long[]> runs) {
        long sum = 0;
        for (JsonNode entry : Qemu.map(dir, image)) {
            if (!entry.get("data").asBoolean() || entry.get("zero").asBoolean()) {
                continue;
            }
            long start = entry.get("start").asLong();
            long end = start + entry.get("length").asLong();
            for (long[] run : runs) {
                sum += Math.max(0, Math.min(end, run[1]) - Math.max(start, run[0]));
            }
        }
        return sum;
    }

    private static long blockBitmapOfGroup0(Path image) {
        Matcher bitmap = Pattern.compile("Block bitmap at (\\d+)").matcher(Tools.run(dir, "dumpe2fs", image.toString()));
        assertThat(bitmap.find()).isTrue();
        return Long.parseLong(bitmap.group(1));
    }
}

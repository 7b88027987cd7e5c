package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
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
 * Hostile VDIs, poked into good ones made by qemu-img: one clear line or a sound answer, fast, input untouched; where
 * qemu-img's check sees the damage too, the same count of corruptions.
 */
class HostileVdiTest {
    /** Offsets in a version 1.1 header (VDICore.h). */
    private static final int SIGNATURE = 64;
    private static final int OFF_BLOCKS = 340;
    private static final int OFF_DATA = 344;
    private static final int DISK_SIZE = 368;
    private static final int BLOCK_SIZE = 376;
    private static final int BLOCKS = 384;
    private static final int BLOCKS_ALLOCATED = 388;
    private static final int MAP = 512;

    @TempDir
    static Path dir;
    /** 24 MiB dynamic, blocks 0, 3, 5 and 23 allocated in that order (data at 1024 + n MiB). */
    static Path dynamic;
    static Path fixed;

    @BeforeAll
    static void makeGoodImages() {
        Qemu.require();
        dynamic = Qemu.create(dir, "good.vdi", "vdi", "", "24M");
        Qemu.io(dir, "good.vdi", "vdi", "write -P 0x11 0 64k", "write -P 0x22 3M 4k", "write -P 0x33 5M 1M",
                "write -P 0x44 23M 512");
        fixed = Qemu.create(dir, "static.vdi", "vdi", "static=on", "8M");
        Qemu.io(dir, "static.vdi", "vdi", "write -P 0x55 1M 64k");
    }

    @Test
    void aBlockMapOf2To31EntriesIsRefused() {
        Path image = poke(dynamic, "2-31.vdi", BLOCKS, 0x80000000L, 4);
        Hostile.assertRefused(image, "too many blocks 2147483648, max is 536870784", "info", image.toString());
        Hostile.assertRefused(image, "too many blocks", "map", image.toString());
    }

    @Test
    void anAbsurdBlockCountIsRefusedBeforeAnythingIsRead() {
        Path image = poke(dynamic, "max-blocks.vdi", BLOCKS, 0x1fffff80L, 4);
        Hostile.assertRefused(image, "overlaps the block map", "info", image.toString());
        Path movedData = poke(image, "max-blocks-data-far.vdi", OFF_DATA, 0xffffff00L, 4);
        Hostile.assertRefused(movedData, "vdi: block map at 0x200: 536870784 entries run past the end of the file",
                "check", movedData.toString());
    }

    @Test
    void aBlockPastTheDataAreaIsAnErrorWhenReadAndACorruptionWhenChecked() {
        Path image = poke(dynamic, "past-end.vdi", MAP + 3 * 4, 20, 4); // block 3 -> data block 20 (< 24 blocks)
        Hostile.assertRefused(image, "entry 3 (data block 20 at 0x1400400) points past the end of the file",
                "convert", "-O", "raw", image.toString(), dir.resolve("past-end.raw").toString());
        Cli.Result check = Hostile.runSafely(image, "check", "--json", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("ERROR: block 3: data block 20 at 0x1400400 lies past the end of the file");
        assertThat(check.json().get("corruptions").asInt()).isEqualTo(1);
        // qemu-img reads zeroes past the end and finds nothing wrong: its check counts entries, not the file.
        assertThat(Qemu.check(dir, image.toString()).exitCode()).isZero();
    }

    @Test
    void anEntryPastTheBlockCountIsCountedAsQemuImgCountsIt() {
        Path image = poke(dynamic, "too-large.vdi", MAP + 5 * 4, 1000, 4);
        assertChecksLikeQemuImg(image, 2, "ERROR: block index 5 too large, is 1000",
                "ERROR: allocated blocks mismatch, is 3, should be 4");
    }

    @Test
    void aDataBlockUsedTwiceIsCountedAsQemuImgCountsIt() {
        Path image = poke(dynamic, "twice.vdi", MAP + 7 * 4, 0, 4); // block 7 -> data block 0, as block 0
        assertChecksLikeQemuImg(image, 2, "ERROR: block index 0 also used by 7",
                "ERROR: allocated blocks mismatch, is 5, should be 4");
        Hostile.runSafely(image, "compare", image.toString(), dynamic.toString());
    }

    @Test
    void aWrongAllocatedCountIsCountedAsQemuImgCountsIt() {
        Path image = poke(dynamic, "count.vdi", BLOCKS_ALLOCATED, 9, 4);
        assertChecksLikeQemuImg(image, 1, "ERROR: allocated blocks mismatch, is 4, should be 9");
    }

    /** qemu-img misses this one: the count is right, but the next block appended would land on block 5's data. */
    @Test
    void anEntryPastTheAllocatedCountIsACorruption() throws IOException {
        Path gap = poke(dynamic, "gap.vdi", MAP + 5 * 4, 5, 4); // entries 0 1 5 3, and 4 allocated
        try (FileChannel channel = FileChannel.open(gap, StandardOpenOption.WRITE)) {
            channel.truncate(1024 + (6L << 20));
            channel.write(ByteBuffer.wrap(new byte[] {1}), 1024 + (6L << 20) - 1);
        }
        Cli.Result check = Hostile.runSafely(gap, "check", "--json", gap.toString());
        assertThat(check.err()).contains("ERROR: block 5 uses data block 5, past the 4 blocks the header counts as allocated");
        assertThat(check.json().get("corruptions").asInt()).isEqualTo(1);
        assertThat(Qemu.check(dir, gap.toString()).exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0x10000000L, 0xfffffe00L})
    void headerOffsetsPastTheEndAreRefused(long offset) {
        Path both = poke(poke(dynamic, "map-far-" + offset + "-1.vdi", OFF_DATA, offset + 0x100, 4),
                "map-far-" + offset + ".vdi", OFF_BLOCKS, offset, 4);
        Hostile.assertRefused(both, "run past the end of the file", "info", both.toString());
        Path data = poke(dynamic, "data-far-" + offset + ".vdi", OFF_DATA, offset, 4);
        Hostile.assertRefused(data, "points past the end of the file", "map", data.toString());
        Cli.Result check = Hostile.runSafely(data, "check", "--json", data.toString());
        assertThat(check.json().get("corruptions").asInt()).isEqualTo(4);
        Path fixedData = poke(fixed, "static-data-far-" + offset + ".vdi", OFF_DATA, offset, 4);
        Hostile.assertRefused(fixedData, "points past the end of the file", "map", fixedData.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 4096 + 512, 0x80000000L, 1L << 30, 0xffffffffL})
    void absurdBlockSizesAreRefused(long blockSize) {
        Path image = poke(dynamic, "block-" + blockSize + ".vdi", BLOCK_SIZE, blockSize, 4);
        Hostile.assertRefused(image, "block size %d".formatted(blockSize), "info", image.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, Long.MIN_VALUE, (24L << 20) + 1, 1L << 62})
    void absurdDiskSizesAreRefused(long diskSize) {
        Path image = poke(dynamic, "disk-" + diskSize + ".vdi", DISK_SIZE, diskSize, 8);
        Hostile.assertRefused(image, "image bitmap has room for 25165824", "info", image.toString());
    }

    /** qemu probes by the signature only, so does DiskLens: with the text alone, the file is raw. */
    @Test
    void aWrongSignatureWithTheRightTextIsNotAVdi() throws IOException {
        Path ours = dir.resolve("ours.vdi");
        Cli.Result converted = Cli.run("convert", "-O", "vdi", dynamic.toString(), ours.toString());
        assertThat(converted.exitCode()).as(converted.err()).isZero();
        Path image = poke(ours, "bad-signature.vdi", SIGNATURE, 0xbfda107fL, 4);
        assertThat(new String(Files.readAllBytes(image), 0, 40, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo(VdiHeader.ORACLE_TEXT);
        JsonNode info = Hostile.runSafely(image, "info", "--json", image.toString()).json();
        assertThat(info.get("format").asText()).isEqualTo("raw");
        assertThat(Qemu.info(dir, image.toString()).get("format").asText()).isEqualTo("raw");
        Hostile.assertRefused(image, "vdi: pre-header at 0x40: bad signature 0xbfda107f (a VDI has 0xbeda107f)",
                "info", "-f", "vdi", image.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 71, 72, 100, 455, 511, 512, 600, 1023, 1024, 5000, 1048576 + 1024, 3 * 1048576})
    void truncatedFilesGetAClearError(long length) throws IOException {
        for (Path good : new Path[] {dynamic, fixed}) {
            Path image = Hostile.truncated(good, "cut-" + length + "-" + good.getFileName(), length);
            for (String command : new String[] {"info", "map", "check"}) {
                Hostile.runSafely(image, command, image.toString());
            }
            Hostile.runSafely(image, "compare", image.toString(), good.toString());
            Hostile.convertSafely(image);
        }
    }

    @Test
    void randomByteFlipsNeverCrashOrHang() throws IOException {
        Random random = new Random(18);
        for (Path good : new Path[] {dynamic, fixed}) {
            byte[] original = Files.readAllBytes(good);
            for (int round = 0; round < 40; round++) {
                byte[] mutated = original.clone();
                for (int i = 0; i < 1 + random.nextInt(6); i++) {
                    int at = random.nextInt(1024);
                    mutated[at] ^= (byte) (1 << random.nextInt(8));
                }
                Path image = dir.resolve("flip-" + round + "-" + good.getFileName());
                Files.write(image, mutated);
                for (String command : new String[] {"info", "map", "check"}) {
                    Hostile.runSafely(image, command, "--json", image.toString());
                }
                Hostile.runSafely(image, "compare", image.toString(), good.toString());
                Hostile.convertSafely(image);
                Files.delete(image);
            }
        }
    }

    /** DiskLens's check finds what qemu-img's finds: the same exit code, corruptions and messages. */
    private static void assertChecksLikeQemuImg(Path image, int corruptions, String... messages) {
        Tools.Result qemu = Qemu.check(dir, image.toString());
        Cli.Result ours = Hostile.runSafely(image, "check", "--json", image.toString());
        assertThat(ours.exitCode()).isEqualTo(qemu.exitCode()).isEqualTo(2);
        assertThat(ours.json().get("corruptions").asInt()).isEqualTo(Cli.parse(qemu.out()).get("corruptions").asInt())
                .isEqualTo(corruptions);
        assertThat(ours.err()).contains(messages);
        assertThat(qemu.err()).contains(messages[messages.length - 1]);
    }

    /** A copy of {@code good} with little-endian {@code value} written at {@code offset}. */
    private static Path poke(Path good, String name, long offset, long value, int width) {
        Path copy = good.resolveSibling(name);
        try {
            Files.copy(good, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
                if (width == 8) {
                    bytes.putLong(value);
                } else {
                    bytes.putInt((int) value);
                }
                channel.write(bytes.flip(), offset);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.disklens.image.vhdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
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
 * VHDX images qemu-img makes (both subformats, several block sizes, qemu-io data patterns), with DiskLens's
 * {@code info}, {@code check} and {@code compare} held to qemu-img's answers. qemu has no block status for VHDX (its
 * {@code map} calls the whole disk data), so {@code map} is held to the facts instead: every data run's host bytes are
 * the guest bytes qemu-img converts, and every other run reads as zeroes there.
 */
class VhdxAgreementTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void requireQemu() {
        Qemu.require();
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("dynamic", "", "100M"),
                Arguments.of("dynamic-1m", "block_size=1M", "100M"),
                Arguments.of("dynamic-32m", "block_size=32M", "200M"),
                Arguments.of("dynamic-256m", "block_size=256M", "600M"),
                Arguments.of("dynamic-not-zero", "block_state_zero=off", "100M"),
                Arguments.of("dynamic-log-4m", "log_size=4M", "100M"),
                Arguments.of("dynamic-odd-size", "block_size=2M", "10000k"),
                Arguments.of("dynamic-5g", "", "5G"),
                Arguments.of("fixed", "subformat=fixed", "64M"),
                Arguments.of("fixed-1m", "subformat=fixed,block_size=1M", "20M"),
                Arguments.of("empty", "", "0"));
    }

    private static Path make(String name, String options, String size) {
        Path image = dir.resolve(name + ".vhdx");
        if (!Files.exists(image)) {
            Qemu.create(dir, image.getFileName().toString(), "vhdx", options, size);
            if (!size.equals("0")) {
                Qemu.io(dir, image.getFileName().toString(), "vhdx", "write -P 0x11 0 128k", "write -z 1M 64k",
                        "write -P 0x22 3M 4k", "write -P 0x33 8M 1M", "write -P 0x44 " + (size.equals("5G") ? "4500M" : "9500k")
                                + " 3k");
            }
        }
        return image;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void infoAgreesWithQemuImg(String name, String options, String size) {
        Path image = make(name, options, size);
        Cli.Result ours = Cli.run("info", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonNode expected = Qemu.info(dir, image.toString());
        JsonSubset.assertContains(expected, ours.json());
        assertThat(ours.json().has("format-specific")).as("qemu-img shows no format-specific data for vhdx").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void checkAgreesWithQemuImg(String name, String options, String size) {
        Path image = make(name, options, size);
        Tools.Result expected = Qemu.check(dir, image.toString());
        Cli.Result ours = Cli.run("check", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isEqualTo(expected.exitCode());
        ObjectNode answer = (ObjectNode) Cli.parse(expected.out());
        answer.put("filename", image.toString());
        JsonSubset.assertContains(answer, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void contentIsQemuImgsRawConversion(String name, String options, String size) throws IOException {
        Path image = make(name, options, size);
        Path raw = dir.resolve(name + ".converted.raw");
        Qemu.img(dir, "convert", "-O", "raw", image.toString(), raw.toString());
        Cli.Result same = Cli.run("compare", image.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertMapHoldsTheBytes(image, raw);
        Files.delete(raw);
    }

    /** Data runs point at the guest bytes in the file; zero and unallocated runs read as zeroes; the runs cover the disk. */
    private static void assertMapHoldsTheBytes(Path image, Path raw) throws IOException {
        Cli.Result map = Cli.run("map", "--json", image.toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        long covered = 0;
        try (FileChannel file = FileChannel.open(image); FileChannel guest = FileChannel.open(raw)) {
            for (JsonNode run : map.json()) {
                long start = run.get("start").asLong();
                long length = run.get("length").asLong();
                assertThat(start).isEqualTo(covered);
                covered += length;
                int sample = (int) Math.min(length, 1 << 20);
                ByteBuffer expected = ByteBuffer.allocate(sample);
                guest.read(expected, start);
                if (run.get("data").asBoolean()) {
                    ByteBuffer stored = ByteBuffer.allocate(sample);
                    file.read(stored, run.get("offset").asLong());
                    assertThat(stored.flip()).as("data run at %d", start).isEqualTo(expected.flip());
                } else {
                    assertThat(expected.array()).as("zero run at %d", start).containsOnly((byte) 0);
                }
            }
            assertThat(covered).isEqualTo(guest.size());
        }
    }

    @Test
    void blocksQemuIoWroteAreDataAndTheRestIsNot() {
        Path image = make("dynamic-1m", "block_size=1M", "100M");
        JsonNode map = Cli.run("map", "--json", image.toString()).json();
        // blocks 0 and 1 (write -z allocates a block too, with zeroes) were appended one after the other: one run
        assertThat(map.get(0).get("data").asBoolean()).isTrue();
        assertThat(map.get(0).get("length").asLong()).isEqualTo(2 << 20);
        assertThat(map.get(1).get("start").asLong()).isEqualTo(2 << 20);
        assertThat(map.get(1).get("zero").asBoolean()).as("qemu's blocks start as ZERO").isTrue();
        assertThat(map.get(1).get("data").asBoolean()).isFalse();
        assertThat(map.get(2).get("start").asLong()).isEqualTo(3 << 20);
        assertThat(map.get(2).get("offset").asLong()).as("block 3 was allocated third").isEqualTo(
                map.get(0).get("offset").asLong() + (2 << 20));
    }
}

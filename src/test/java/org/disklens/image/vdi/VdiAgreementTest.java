package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VDIs as qemu-img makes them (dynamic and static, created and written by qemu-io, converted from raw with zero runs,
 * odd sizes, a 2 TiB sparse disk, blocks allocated out of guest order), with DiskLens's {@code info}, {@code map},
 * {@code check} and {@code compare} held to qemu-img's answers.
 */
class VdiAgreementTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void requireQemu() {
        Qemu.require();
    }

    record Variant(String name, Consumer<Path> recipe) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Data, written zeroes, a partly written block, a block written twice, the disk's last bytes. */
    static final String[] WRITES = {"write -P 0x11 0 128k", "write -z 1M 64k", "write -P 0x22 3M 4k",
        "write -P 0x33 10M 1M", "write -P 0x34 10M 4k", "write -P 0x44 50M 3k", "write -P 0x55 65535k 1k"};

    static Stream<Arguments> variants() {
        return Stream.of(
                created("dynamic-empty", "", "64M"),
                created("static-empty", "static=on", "64M"),
                written("dynamic", "", "64M"),
                written("static", "static=on", "64M"),
                variant("odd-size", VdiAgreementTest::oddSize),
                variant("converted-dynamic", d -> converted(d, "converted-dynamic", "")),
                variant("converted-static", d -> converted(d, "converted-static", "static=on")),
                variant("out-of-order", VdiAgreementTest::outOfOrder),
                variant("sparse-2t", VdiAgreementTest::sparse2t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void infoAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        Cli.Result ours = Cli.run("info", "--json", "--backing-chain", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(Qemu.info(dir, image.toString(), "--backing-chain"), ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mapAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        Cli.Result ours = Cli.run("map", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(Qemu.map(dir, image.toString()), ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void checkAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        Tools.Result expected = Qemu.check(dir, image.toString());
        Cli.Result ours = Cli.run("check", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isEqualTo(expected.exitCode());
        ObjectNode answer = (ObjectNode) Cli.parse(expected.out());
        answer.put("filename", image.toString());
        JsonSubset.assertContains(answer, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void contentIsQemuImgsRawConversion(Variant variant) throws IOException {
        Path image = make(variant);
        Path raw = dir.resolve(variant.name() + ".converted.raw");
        Qemu.img(dir, "convert", "-O", "raw", image.toString(), raw.toString());
        Cli.Result same = Cli.run("compare", image.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertThat(same.exitCode()).isZero();
        Files.delete(raw);
    }

    /** DiskLens's own conversion of the VDI is what qemu-img reads in it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void disklensConvertsItToWhatQemuImgReads(Variant variant) throws IOException {
        Path image = make(variant);
        Path qcow2 = dir.resolve(variant.name() + ".disklens.qcow2");
        Cli.Result converted = Cli.run("convert", "-O", "qcow2", image.toString(), qcow2.toString());
        assertThat(converted.exitCode()).as(converted.err()).isZero();
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", image.toString(), qcow2.toString());
        assertThat(compare.exitCode()).as(compare.out() + compare.err()).isZero();
        Files.delete(qcow2);
    }

    // ---- recipes ----

    private static Path make(Variant variant) {
        Path image = dir.resolve(variant.name() + ".vdi");
        if (!Files.exists(image)) {
            variant.recipe().accept(dir);
        }
        return image;
    }

    private static Arguments variant(String name, Consumer<Path> recipe) {
        return Arguments.of(new Variant(name, recipe));
    }

    private static Arguments created(String name, String options, String size) {
        return variant(name, d -> Qemu.create(d, name + ".vdi", "vdi", options, size));
    }

    private static Arguments written(String name, String options, String size) {
        return variant(name, d -> {
            Qemu.create(d, name + ".vdi", "vdi", options, size);
            Qemu.io(d, name + ".vdi", "vdi", WRITES);
        });
    }

    /** A size that is no whole number of blocks (qemu rounds it up to a sector), written at its very end. */
    private static void oddSize(Path d) {
        Qemu.create(d, "odd-size.vdi", "vdi", "", "3000001");
        Qemu.io(d, "odd-size.vdi", "vdi", "write -P 0x66 2999808 512", "write -P 0x67 0 512");
    }

    /** A raw disk with data, zeroes written as data and holes, converted by qemu-img. */
    private static void converted(Path d, String name, String options) {
        Path raw = d.resolve(name + ".source.raw");
        if (!Files.exists(raw)) {
            Qemu.create(d, raw.toString(), "raw", "", "24M");
            Qemu.io(d, raw.toString(), "raw", "write -P 0x11 0 1M", "write -P 0 2M 1M", "write -P 0x22 3M 4k",
                    "write -P 0x33 5242881 70000", "write -P 0x44 24575k 1k");
        }
        Qemu.img(d, "convert", "-O", "vdi", "-o", options.isEmpty() ? "static=off" : options, raw.toString(),
                name + ".vdi");
    }

    /** Blocks allocated from the end of the disk backwards: no two neighbours are contiguous in the file. */
    private static void outOfOrder(Path d) {
        Qemu.create(d, "out-of-order.vdi", "vdi", "", "16M");
        Qemu.io(d, "out-of-order.vdi", "vdi", "write -P 1 15M 1M", "write -P 2 14M 1M", "write -P 3 13M 1M",
                "write -P 4 4M 1M", "write -P 5 5M 1M", "write -P 6 6M 512");
    }

    /** A 2 TiB disk (an 8 MiB block map) with data at 1 TiB and in its last block. */
    private static void sparse2t(Path d) {
        Qemu.create(d, "sparse-2t.vdi", "vdi", "", "2T");
        Qemu.io(d, "sparse-2t.vdi", "vdi", "write -P 0x77 1T 64k", "write -P 0x78 2097151M 1M");
    }
}

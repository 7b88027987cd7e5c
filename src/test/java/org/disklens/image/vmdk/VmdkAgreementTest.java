package org.disklens.image.vmdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
 * Every VMDK subformat and option qemu-img writes, made here by qemu-img and qemu-io, with DiskLens's
 * {@code info}, {@code map}, {@code check} and {@code compare} held to qemu-img's answers.
 */
class VmdkAgreementTest {
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

    static Stream<Arguments> variants() {
        return Stream.of(
                written("monolithic-sparse", "subformat=monolithicSparse", "100M"),
                written("monolithic-flat", "subformat=monolithicFlat", "100M"),
                written("two-gb-sparse", "subformat=twoGbMaxExtentSparse", "100M"),
                written("two-gb-flat", "subformat=twoGbMaxExtentFlat", "100M"),
                written("split-5g-sparse", "subformat=twoGbMaxExtentSparse", "5G"),
                written("zeroed-grain", "zeroed_grain=on", "100M"),
                written("compat6", "compat6=on", "100M"),
                written("adapter-ide", "adapter_type=ide", "100M"),
                written("adapter-lsilogic", "adapter_type=lsilogic", "100M"),
                written("adapter-buslogic", "adapter_type=buslogic", "100M"),
                written("adapter-legacy-esx", "adapter_type=legacyESX,subformat=monolithicFlat", "100M"),
                variant("stream-optimized", VmdkAgreementTest::streamOptimized),
                variant("delta", VmdkAgreementTest::delta));
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
        java.nio.file.Files.delete(raw);
    }

    // ---- recipes ----

    private static Path make(Variant variant) {
        Path image = dir.resolve(variant.name() + ".vmdk");
        if (!image.toFile().exists()) {
            variant.recipe().accept(dir);
        }
        return image;
    }

    private static Arguments variant(String name, Consumer<Path> recipe) {
        return Arguments.of(new Variant(name, recipe));
    }

    /** Data, written zeroes and a partly written grain; for split images also data in a later extent. */
    private static Arguments written(String name, String options, String size) {
        return variant(name, d -> {
            String file = name + ".vmdk";
            Qemu.create(d, file, "vmdk", options, size);
            Qemu.io(d, file, "vmdk", "write -P 0x11 0 128k", "write -z 1M 64k", "write -P 0x22 3M 4k",
                    "write -P 0x33 10M 1M", "write -z 11M 8k", size.equals("5G") ? "write -P 0x44 4500M 64k" : "write -P 0x44 50M 3k");
        });
    }

    private static void streamOptimized(Path d) {
        Qemu.create(d, "so-src.raw", "raw", "", "64M");
        Qemu.io(d, "so-src.raw", "raw", "write -P 0x5a 0 1M", "write -P 0 2M 64k", "write -P 0x6b 5M 100k");
        Qemu.img(d, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "so-src.raw", "stream-optimized.vmdk");
    }

    private static void delta(Path d) {
        Qemu.create(d, "delta-base.vmdk", "vmdk", "", "64M");
        Qemu.io(d, "delta-base.vmdk", "vmdk", "write -P 1 0 4M");
        Qemu.img(d, "create", "-q", "-f", "vmdk", "-b", "delta-base.vmdk", "-F", "vmdk", "delta.vmdk");
        Qemu.io(d, "delta.vmdk", "vmdk", "write -P 2 1M 1M");
    }
}

package org.disklens.image.vhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.disklens.image.CheckReport;
import org.disklens.image.HostRegion;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VHDs in both subformats, with and without force_size, at sizes that are and are not a CHS geometry's, made here by
 * qemu-img and qemu-io, with DiskLens's {@code info}, {@code map} and content held to qemu-img's answers ({@code -f
 * vpc}: qemu-img probes a fixed VHD as raw), and its own check and file layout held to the layout qemu wrote.
 */
class VhdAgreementTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void requireQemu() {
        Qemu.require();
    }

    record Variant(String name, boolean fixed, Consumer<Path> recipe) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                written("dynamic", "", "100M"),
                written("dynamic-chs-exact", "", "104865792"),
                written("dynamic-force-size", "force_size=on", "100M"),
                written("dynamic-force-size-odd", "force_size=on", "1000000"),
                written("dynamic-small", "", "3M"),
                written("dynamic-200g", "", "200G"),
                written("fixed", "subformat=fixed", "100M"),
                written("fixed-chs-exact", "subformat=fixed", "104865792"),
                written("fixed-force-size", "subformat=fixed,force_size=on", "100M"),
                written("empty", "", "0"),
                converted("converted-dynamic", ""),
                converted("converted-fixed", "subformat=fixed"),
                converted("converted-fixed-force-size", "subformat=fixed,force_size=on"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void infoAgreesWithQemuImg(Variant variant) {
        Path image = make(variant);
        Cli.Result ours = Cli.run("info", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(Qemu.info(dir, image.toString(), "-f", "vpc"), ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mapAgreesWithQemuImg(Variant variant) {
        // qemu-img prints one entry of length 0 for an empty disk of any format; DiskLens's map prints none.
        org.junit.jupiter.api.Assumptions.assumeFalse(variant.name().equals("empty"), "generic map of an empty disk");
        Path image = make(variant);
        Cli.Result ours = Cli.run("map", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(Cli.parse(Qemu.img(dir, "map", "-f", "vpc", "--output=json", image.toString())),
                ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void contentIsQemuImgsRawConversion(Variant variant) throws IOException {
        Path image = make(variant);
        Path raw = dir.resolve(variant.name() + ".converted.raw");
        Qemu.img(dir, "convert", "-f", "vpc", "-O", "raw", image.toString(), raw.toString());
        Cli.Result same = Cli.run("compare", image.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertThat(same.exitCode()).isZero();
        Files.delete(raw);
    }

    /** A file qemu wrote checks clean, and its layout chart covers it exactly: a bitmap per block, the rest metadata. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void checkIsCleanAndTheLayoutCoversTheFile(Variant variant) throws IOException {
        Path image = make(variant);
        try (VhdImage opened = (VhdImage) new VhdFormat().open(FileBlockSource.open(image), OpenContext.refuseAll())) {
            CheckReport report = opened.check(ProgressListener.NONE).orElseThrow();
            assertThat(report.messages()).isEmpty();
            assertThat(report.corruptions()).isZero();
            List<long[]> runs = new ArrayList<>();
            long[] bitmapBytes = {0};
            opened.describeHost((region, offset, length) -> {
                runs.add(new long[] {offset, length});
                if (region.equals(VhdRegions.BITMAPS)) {
                    bitmapBytes[0] += length;
                }
                assertThat(opened.hostRegions()).contains(region);
                assertThat(region.role()).isNotEqualTo(HostRegion.Role.LEAKED);
            }, ProgressListener.NONE);
            long at = 0;
            for (long[] run : runs) {
                assertThat(run[0]).as("runs in order, without gaps or overlaps").isEqualTo(at);
                at += run[1];
            }
            assertThat(at).isEqualTo(Files.size(image));
            assertThat(bitmapBytes[0]).isEqualTo(variant.fixed() ? 0 : report.allocatedClusters() * 512);
            if (!variant.fixed()) {
                assertThat(report.imageEndOffset()).isEqualTo(Files.size(image));
                assertThat(report.fragmentedClusters()).isZero();
            }
        }
    }

    // ---- recipes ----

    private static Path make(Variant variant) {
        Path image = dir.resolve(variant.name() + ".vhd");
        if (!Files.exists(image)) {
            variant.recipe().accept(dir);
        }
        return image;
    }

    /** Data, written zeroes, a partly written block, data in a late block; qemu-io writes through vpc. */
    private static Arguments written(String name, String options, String size) {
        boolean fixed = options.contains("fixed");
        return Arguments.of(new Variant(name, fixed, d -> {
            String file = name + ".vhd";
            Qemu.create(d, file, "vpc", options, size);
            long bytes = Qemu.info(d, file, "-f", "vpc").get("virtual-size").asLong();
            List<String> writes = new ArrayList<>();
            if (bytes >= 3 << 20) {
                writes.addAll(List.of("write -P 0x11 0 128k", "write -z 1M 64k", "write -P 0x22 2560k 4k"));
            }
            if (bytes >= 100 << 20) {
                writes.addAll(List.of("write -P 0x33 10M 1M", "write -P 0x44 50M 3k"));
            }
            if (bytes > 1L << 30) {
                writes.add("write -P 0x55 %d 64k".formatted(bytes - (64 << 10)));
            }
            if (!writes.isEmpty()) {
                Qemu.io(d, file, "vpc", writes.toArray(String[]::new));
            }
        }));
    }

    private static Arguments converted(String name, String options) {
        return Arguments.of(new Variant(name, options.contains("fixed"), d -> {
            Path source = d.resolve(name + ".src.raw");
            if (!Files.exists(source)) {
                Qemu.create(d, source.getFileName().toString(), "raw", "", "20M");
                Qemu.io(d, source.getFileName().toString(), "raw", "write -P 0x5a 0 1M", "write -P 0x6b 5M 100k",
                        "write -P 0x7c 19M 4k");
            }
            List<String> arguments = new ArrayList<>(List.of("convert", "-f", "raw", "-O", "vpc"));
            if (!options.isEmpty()) {
                arguments.addAll(List.of("-o", options));
            }
            arguments.addAll(List.of(source.toString(), name + ".vhd"));
            Qemu.img(d, arguments.toArray(String[]::new));
        }));
    }
}

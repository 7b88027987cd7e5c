package org.disklens.image.vdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * {@code convert -O vdi} in each of its forms, from raw disks with zero runs, an odd-sized raw disk and a compressed
 * qcow2, judged by qemu-img ({@code check} clean, {@code compare} identical, its {@code info} and {@code map} of the
 * result agreeing with DiskLens's), by 7-Zip ({@code 7zz l} reads the same size), and by {@code measure}'s figures.
 */
class VdiConvertTest {
    @TempDir
    static Path dir;
    static Path raw;
    static Path oddRaw;
    static Path qcow2;

    static final List<List<String>> TARGETS = List.of(
            List.of(),
            List.of("-o", "static=on"),
            List.of("-o", "preallocation=full"),
            List.of("-o", "static=on,preallocation=falloc"),
            List.of("-S", "0"),
            List.of("-S", "64k", "-o", "static=on"));

    @BeforeAll
    static void makeSources() {
        Qemu.require();
        raw = Qemu.create(dir, "source.raw", "raw", "", "24M");
        Qemu.io(dir, "source.raw", "raw", "write -P 0x11 0 1M", "write -P 0 2M 1M", "write -P 0x22 3M 4k",
                "write -P 0x33 5242881 70000", "write -P 0x44 8M 64k", "write -P 0x55 24575k 1k");
        oddRaw = Qemu.create(dir, "odd.raw", "raw", "", "1000000");
        Qemu.io(dir, "odd.raw", "raw", "write -P 0x66 999424 512", "write -P 0x67 4096 4096");
        Qemu.img(dir, "convert", "-c", "-O", "qcow2", "source.raw", "source.qcow2");
        qcow2 = dir.resolve("source.qcow2");
    }

    static Stream<Arguments> pairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (String source : List.of("source.raw", "odd.raw", "source.qcow2")) {
            for (List<String> target : TARGETS) {
                pairs.add(Arguments.of(source, target));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> vdi {1}")
    @MethodSource("pairs")
    void qemuImgAnd7ZipReadTheResultAsTheSource(String sourceName, List<String> options) throws IOException {
        Path source = dir.resolve(sourceName);
        Path out = Files.createTempDirectory(dir, "out").resolve("converted.vdi");
        Cli.Result result = convert(source, out, options);
        assertThat(result.exitCode()).as(result.err()).isZero();

        Tools.Result check = Qemu.check(dir, out.toString());
        assertThat(check.exitCode()).as("qemu-img check: %s%s", check.out(), check.err()).isZero();
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", source.toString(), out.toString());
        assertThat(compare.exitCode()).as("qemu-img compare: %s%s", compare.out(), compare.err()).isZero();

        JsonNode info = Qemu.info(dir, out.toString());
        assertThat(info.get("format").asText()).isEqualTo("vdi");
        long expectedSize = Math.ceilDiv(Files.size(source.getFileName().toString().endsWith(".qcow2") ? raw : source),
                512) * 512;
        assertThat(info.get("virtual-size").asLong()).isEqualTo(expectedSize);
        JsonSubset.assertContains(info, Cli.run("info", "--json", out.toString()).json());
        JsonSubset.assertContains(Qemu.map(dir, out.toString()), Cli.run("map", "--json", out.toString()).json());

        Cli.Result ours = Cli.run("compare", source.toString(), out.toString());
        assertThat(ours.exitCode()).as(ours.out() + ours.err()).isZero();
        Cli.Result ourCheck = Cli.run("check", out.toString());
        assertThat(ourCheck.exitCode()).as(ourCheck.out() + ourCheck.err()).isZero();

        if (Tools.has("7zz")) {
            assertThat(sevenZipSize(out)).isEqualTo(expectedSize);
        }
    }

    /** {@code measure}: a dynamic target's required size is the file written, fully-allocated a static one's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void measureIsWhatConvertWrites(String sourceName) throws IOException {
        Path source = dir.resolve(sourceName);
        JsonNode dynamic = Cli.run("measure", "--json", "-O", "vdi", source.toString()).json();
        JsonNode fixed = Cli.run("measure", "--json", "-O", "vdi", "-o", "static=on", source.toString()).json();
        Path folder = Files.createTempDirectory(dir, "measure");
        convert(source, folder.resolve("dynamic.vdi"), List.of());
        convert(source, folder.resolve("static.vdi"), List.of("-o", "static=on"));
        // Like qemu's measure, stored zeroes count as data: source.raw's written megabyte of zeroes is one block
        // the conversion then leaves out.
        long storedZeroBlocks = sourceName.equals("source.raw") ? 1 : 0;
        assertThat(dynamic.get("required").asLong())
                .isEqualTo(Files.size(folder.resolve("dynamic.vdi")) + storedZeroBlocks * VdiConfig.BLOCK_SIZE);
        assertThat(dynamic.get("fully-allocated").asLong()).isEqualTo(Files.size(folder.resolve("static.vdi")));
        assertThat(fixed.get("required").asLong()).isEqualTo(Files.size(folder.resolve("static.vdi")));
        assertThat(fixed.get("fully-allocated").asLong()).isEqualTo(Files.size(folder.resolve("static.vdi")));
    }

    static Stream<String> sources() {
        return Stream.of("source.raw", "odd.raw", "source.qcow2");
    }

    /**
     * A 40 GiB disk: a block map of three 64 KiB pages, data in the first and last block and past 16 GiB, the rest
     * skipped whole; dynamic and static.
     */
    @Test
    void aLargeSparseDiskAcrossBlockMapPages() throws IOException {
        Path large = Qemu.create(dir, "large.raw", "raw", "", "40G");
        Qemu.io(dir, "large.raw", "raw", "write -P 0x11 0 100k", "write -P 0x22 17G 1M", "write -P 0x33 40959M 1M");
        for (List<String> options : List.of(List.<String>of(), List.of("-o", "static=on"))) {
            Path out = Files.createTempDirectory(dir, "large").resolve("large.vdi");
            Cli.Result result = convert(large, out, options);
            assertThat(result.exitCode()).as(result.err()).isZero();
            Tools.Result check = Qemu.check(dir, out.toString());
            assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
            Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", large.toString(), out.toString());
            assertThat(compare.exitCode()).as(compare.out() + compare.err()).isZero();
            JsonSubset.assertContains(Qemu.map(dir, out.toString()), Cli.run("map", "--json", out.toString()).json());
            Files.delete(out);
        }
        Files.delete(large);
    }

    /** The VDI written is read back by DiskLens into every other format qemu-img then finds identical. */
    @Test
    void aVdiConvertsToEveryFormat() throws IOException {
        Path vdi = dir.resolve("roundtrip.vdi");
        convert(raw, vdi, List.of());
        for (String format : List.of("raw", "qcow2", "vmdk", "vdi")) {
            Path out = dir.resolve("roundtrip-out." + format);
            Cli.Result result = Cli.run("convert", "-O", format, vdi.toString(), out.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-f", "raw", raw.toString(), out.toString());
            assertThat(compare.exitCode()).as(format + ": " + compare.out() + compare.err()).isZero();
        }
    }

    @Test
    void optionsAreRefusedInQemuImgsWords() {
        assertRefused("Compression not supported for this file format", "convert", "-c", "-O", "vdi");
        assertRefused("Invalid parameter 'cluster_size'", "convert", "-O", "vdi", "-o", "cluster_size=2M");
        assertRefused("Backing file not supported for file format 'vdi'", "convert", "-O", "vdi", "-B", "base.vdi");
        assertRefused("Parameter 'static' expects 'on' or 'off'", "convert", "-O", "vdi", "-o", "static=yes please");
        assertRefused("Parameter 'preallocation' does not accept value 'metadata'", "convert", "-O", "vdi", "-o",
                "preallocation=metadata");
        Cli.Result tooLarge = Cli.run("measure", "-O", "vdi", "--size", "600T");
        assertThat(tooLarge.exitCode()).isEqualTo(1);
        assertThat(tooLarge.err()).contains("Unsupported VDI image size (size is 0x%x, max supported is 0x1fffff8000000)"
                .formatted(600L << 40));
    }

    private static void assertRefused(String expected, String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add(raw.toString());
        all.add(dir.resolve("refused.vdi").toString());
        Cli.Result result = Cli.run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.err()).contains(expected);
        assertThat(dir.resolve("refused.vdi")).doesNotExist();
    }

    private static Cli.Result convert(Path source, Path out, List<String> options) {
        List<String> arguments = new ArrayList<>(List.of("convert", "-O", "vdi"));
        arguments.addAll(options);
        arguments.add(source.toString());
        arguments.add(out.toString());
        return Cli.run(arguments.toArray(String[]::new));
    }

    /** The disk size 7-Zip lists for the image ({@code 7zz l -slt}: the "Size = " of its one item). */
    private static long sevenZipSize(Path image) {
        String listing = Tools.run(dir, "7zz", "l", "-slt", image.toString());
        assertThat(listing).contains("Type = VDI");
        Matcher size = Pattern.compile("(?m)^Size = (\\d+)$").matcher(listing);
        assertThat(size.find()).as(listing).isTrue();
        return Long.parseLong(size.group(1));
    }
}

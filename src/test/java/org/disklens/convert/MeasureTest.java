package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code measure} answers what {@code qemu-img measure} answers for raw and qcow2 targets, field for field, over
 * sources and creation options; for VMDK (which qemu-img cannot measure) its figures bound what {@code convert}
 * really writes.
 */
class MeasureTest {
    @TempDir
    static Path dir;
    static List<ConvertSources.Source> sources;

    @BeforeAll
    static void makeSources() {
        Qemu.require();
        List<ConvertSources.Source> all = new ArrayList<>(ConvertSources.all(dir));
        Path withBitmaps = Qemu.create(dir, "bitmaps.qcow2", "qcow2", "", "100M");
        Qemu.io(dir, withBitmaps.toString(), "qcow2", "write -P 1 0 3M");
        Qemu.img(dir, "bitmap", "--add", "-g", "64k", withBitmaps.toString(), "first");
        Qemu.img(dir, "bitmap", "--add", "-g", "4k", withBitmaps.toString(), "a-second-bitmap");
        all.add(new ConvertSources.Source("qcow2-bitmaps", withBitmaps, List.of(), withBitmaps));
        sources = all;
    }

    static final List<String> OPTIONS = List.of("", "cluster_size=4k", "cluster_size=2M", "refcount_bits=1",
            "refcount_bits=64,cluster_size=512", "extended_l2=on", "compat=0.10", "preallocation=metadata",
            "preallocation=full", "lazy_refcounts=on");

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String source : List.of("raw", "raw-odd-size", "qcow2", "qcow2-512", "qcow2-extended-l2",
                "qcow2-prealloc-metadata", "qcow2-zlib", "qcow2-backing-chain", "qcow2-snapshot(-l)", "qcow2-bitmaps")) {
            for (String options : OPTIONS) {
                cases.add(Arguments.of(source, "qcow2", options));
            }
            cases.add(Arguments.of(source, "raw", ""));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -O {1} {2}")
    @MethodSource("cases")
    void agreesWithQemuImgMeasure(String sourceName, String format, String options) {
        ConvertSources.Source source = sources.stream().filter(s -> s.name().equals(sourceName)).findFirst().orElseThrow();
        List<String> arguments = new ArrayList<>(List.of("measure", "--output=json", "-O", format));
        if (!options.isEmpty()) {
            arguments.addAll(List.of("-o", options));
        }
        arguments.addAll(source.arguments());
        arguments.add(source.file().toString());
        JsonNode expected = Cli.parse(Qemu.img(dir, arguments.toArray(String[]::new)));
        Cli.Result ours = Cli.run(arguments.toArray(String[]::new));
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        assertThat(ours.json()).isEqualTo(expected);
    }

    @Test
    void agreesWithQemuImgForANewDisk() {
        for (String size : List.of("1G", "100M", "1000000", "16T")) {
            for (String options : List.of("", size.equals("16T") ? "cluster_size=16k" : "cluster_size=512", "extended_l2=on")) {
                List<String> arguments = new ArrayList<>(List.of("measure", "--output=json", "-O", "qcow2", "--size", size));
                if (!options.isEmpty()) {
                    arguments.addAll(List.of("-o", options));
                }
                JsonNode expected = Cli.parse(Qemu.img(dir, arguments.toArray(String[]::new)));
                assertThat(Cli.run(arguments.toArray(String[]::new)).json()).as("%s %s", size, options).isEqualTo(expected);
            }
        }
        JsonNode raw = Cli.parse(Qemu.img(dir, "measure", "--output=json", "-O", "raw", "--size", "1000000"));
        assertThat(Cli.run("measure", "--json", "-O", "raw", "--size", "1000000").json()).isEqualTo(raw);
    }

    @Test
    void refusesWhatQemuImgRefuses() {
        var qemu = org.disklens.testing.Tools.exec(dir, "qemu-img", "measure", "-O", "qcow2", "-o", "cluster_size=512",
                "--size", "16T");
        assertThat(qemu.exitCode()).isEqualTo(1);
        Cli.Result ours = Cli.run("measure", "-O", "qcow2", "-o", "cluster_size=512", "--size", "16T");
        assertThat(ours.exitCode()).isEqualTo(1);
        assertThat(ours.err()).contains("The image size is too large (try using a larger cluster size)");
        assertThat(Cli.run("measure", "-O", "qcow2", "-o", "foo=bar", "--size", "1G").err())
                .contains("Invalid parameter 'foo' for file format 'qcow2'");
    }

    @Test
    void humanOutputIsQemuImgs() {
        ConvertSources.Source source = sources.get(2);
        String expected = Qemu.img(dir, "measure", "-O", "qcow2", source.file().toString());
        assertThat(Cli.run("measure", "-O", "qcow2", source.file().toString()).out()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"monolithicSparse", "streamOptimized", "monolithicFlat",
            "twoGbMaxExtentSparse", "twoGbMaxExtentFlat"})
    void vmdkFiguresBoundWhatConvertWrites(String subformat) throws IOException {
        for (ConvertSources.Source source : sources) {
            JsonNode measured = Cli.run("measure", "--json", "-O", "vmdk", "-o", "subformat=" + subformat,
                    source.file().toString()).json();
            Path folder = Files.createTempDirectory(dir, "vmdk");
            Cli.Result converted = Cli.run("convert", "-O", "vmdk", "-o", "subformat=" + subformat,
                    source.file().toString(), folder.resolve("out.vmdk").toString());
            assertThat(converted.exitCode()).as(converted.err()).isZero();
            long written;
            try (Stream<Path> files = Files.list(folder)) {
                written = files.mapToLong(path -> path.toFile().length()).sum();
            }
            assertThat(measured.get("required").asLong()).as("%s %s", source, subformat).isGreaterThanOrEqualTo(written);
            assertThat(measured.get("fully-allocated").asLong()).isGreaterThanOrEqualTo(measured.get("required").asLong());
        }
    }
}

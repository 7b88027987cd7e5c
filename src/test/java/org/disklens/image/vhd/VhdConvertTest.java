package org.disklens.image.vhd;

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
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code convert -O vpc} in both subformats, with and without force_size: qemu-img finds the result identical to the
 * source and of the size its own conversion gives; vhdiinfo (libvhdi) and 7-Zip read it as that size; DiskLens reads
 * it back; {@code measure} answers the file's length. And conversions from VHDs qemu-img made to every other format
 * qemu-img checks clean and finds identical.
 */
class VhdConvertTest {
    @TempDir
    static Path dir;
    static Path raw;
    static Path oddRaw;
    static Path qcow2;

    @BeforeAll
    static void makeSources() {
        Qemu.require();
        raw = Qemu.create(dir, "source.raw", "raw", "", "20M");
        Qemu.io(dir, "source.raw", "raw", "write -P 0x11 0 100k", "write -P 0x22 2M 4k", "write -P 0 3M 64k",
                "write -P 0x33 4094k 4k", "write -P 0x44 19M 1M");
        oddRaw = Qemu.create(dir, "odd.raw", "raw", "", "10000000");
        Qemu.io(dir, "odd.raw", "raw", "write -P 0x55 0 4k", "write -P 0x66 9999360 640");
        qcow2 = Qemu.create(dir, "source.qcow2", "qcow2", "", "30M");
        Qemu.io(dir, "source.qcow2", "qcow2", "write -P 0x77 1M 3M", "write -z 8M 1M", "write -P 0x78 29M 512");
    }

    static Stream<Arguments> conversions() {
        List<Arguments> cases = new ArrayList<>();
        for (String source : List.of("raw", "odd", "qcow2")) {
            for (String options : List.of("", "subformat=fixed", "force_size=on", "subformat=fixed,force_size=on")) {
                cases.add(Arguments.of(source, options));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -O vpc -o \"{1}\"")
    @MethodSource("conversions")
    void qemuImgVhdiinfoAnd7zipReadTheResultAsTheSource(String sourceName, String options) throws IOException {
        Path source = source(sourceName);
        Path out = dir.resolve("%s-%s.vhd".formatted(sourceName, options.replace(',', '-').replace('=', '-')));
        Path theirs = dir.resolve(out.getFileName() + ".qemu.vhd");
        String before = Hostile.sha256(source);
        Cli.Result result = Cli.run(withOptions(List.of("convert", "-O", "vpc"), options, source, out));
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(Hostile.sha256(source)).isEqualTo(before);
        Qemu.img(dir, withOptions(List.of("convert", "-O", "vpc"), options, source, theirs));

        JsonNode info = Qemu.info(dir, out.toString(), "-f", "vpc");
        long size = info.get("virtual-size").asLong();
        assertThat(info.get("format").asText()).isEqualTo("vpc");
        assertThat(size).as("the size qemu-img's own conversion gives")
                .isEqualTo(Qemu.info(dir, theirs.toString(), "-f", "vpc").get("virtual-size").asLong());
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-F", "vpc", source.toString(), out.toString());
        assertThat(compare.exitCode()).as("qemu-img compare: %s%s", compare.out(), compare.err()).isZero();
        assertThat(vhdiinfoSize(out)).as("vhdiinfo's media size").isEqualTo(size);
        assertThat(sevenZipSize(out)).as("7-Zip's size").isEqualTo(size);

        Cli.Result ours = Cli.run("compare", source.toString(), out.toString());
        assertThat(ours.exitCode()).as(ours.out() + ours.err()).isZero();
        Cli.Result measured = Cli.run(withOptions(List.of("measure", "--output=json", "-O", "vpc"), options, source));
        assertThat(measured.exitCode()).as(measured.err()).isZero();
        assertThat(measured.json().get("required").asLong()).as("measure: the file's length").isEqualTo(Files.size(out));
    }

    /** With {@code -S 0} every block is stored: the file is what measure calls fully allocated. */
    @Test
    void writingEverythingAllocatesEveryBlock() throws IOException {
        Path out = dir.resolve("everything.vhd");
        Cli.Result result = Cli.run("convert", "-S", "0", "-O", "vpc", raw.toString(), out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode map = Cli.parse(Qemu.img(dir, "map", "--output=json", out.toString()));
        for (JsonNode entry : map) {
            assertThat(entry.get("data").asBoolean()).as(entry.toString()).isTrue();
        }
        Cli.Result measured = Cli.run("measure", "--output=json", "-O", "vpc", raw.toString());
        assertThat(measured.json().get("fully-allocated").asLong()).isEqualTo(Files.size(out));
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-F", "vpc", raw.toString(), out.toString());
        assertThat(compare.exitCode()).as(compare.out() + compare.err()).isZero();
    }

    static Stream<Arguments> fromVhd() {
        List<Arguments> cases = new ArrayList<>();
        for (String vhd : List.of("", "subformat=fixed", "force_size=on")) {
            for (String target : List.of("raw", "qcow2", "vmdk", "vpc")) {
                cases.add(Arguments.of(vhd, target));
            }
        }
        return cases.stream();
    }

    /** From a VHD qemu-img made: qemu-img finds every target identical and checks it clean. */
    @ParameterizedTest(name = "vpc \"{0}\" -> {1}")
    @MethodSource("fromVhd")
    void fromAVhdQemuImgMade(String vhdOptions, String target) {
        String name = "made-" + vhdOptions.replace('=', '-') + ".vhd";
        Path vhd = dir.resolve(name);
        if (!Files.exists(vhd)) {
            Qemu.img(dir, withOptions(List.of("convert", "-O", "vpc"), vhdOptions, raw, vhd));
        }
        Path out = dir.resolve("%s.to.%s".formatted(name, target));
        Cli.Result result = Cli.run("convert", "-O", target, vhd.toString(), out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        String targetFormat = target.equals("vpc") ? "vpc" : target;
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "-f", "vpc", "-F", targetFormat, vhd.toString(),
                out.toString());
        assertThat(compare.exitCode()).as("qemu-img compare: %s%s", compare.out(), compare.err()).isZero();
        if (target.equals("qcow2") || target.equals("vmdk")) {
            Tools.Result check = Qemu.check(dir, out.toString());
            assertThat(check.exitCode()).as("qemu-img check: %s%s", check.out(), check.err()).isZero();
        }
    }

    private static Path source(String name) {
        return switch (name) {
            case "raw" -> raw;
            case "odd" -> oddRaw;
            default -> qcow2;
        };
    }

    private static String[] withOptions(List<String> head, String options, Path... files) {
        List<String> arguments = new ArrayList<>(head);
        if (!options.isEmpty()) {
            arguments.addAll(List.of("-o", options));
        }
        for (Path file : files) {
            arguments.add(file.toString());
        }
        return arguments.toArray(String[]::new);
    }

    private static long vhdiinfoSize(Path vhd) {
        Tools.require("vhdiinfo");
        Matcher size = Pattern.compile("Media size\\s*:.*\\((\\d+) bytes\\)").matcher(Tools.run(dir, "vhdiinfo", vhd.toString()));
        assertThat(size.find()).isTrue();
        return Long.parseLong(size.group(1));
    }

    private static long sevenZipSize(Path vhd) {
        Tools.require("7zz");
        String listing = Tools.run(dir, "7zz", "l", "-slt", vhd.toString());
        Matcher size = Pattern.compile("(?m)^Size = (\\d+)$").matcher(listing.substring(listing.indexOf("----------")));
        assertThat(size.find()).as(listing).isTrue();
        return Long.parseLong(size.group(1));
    }
}

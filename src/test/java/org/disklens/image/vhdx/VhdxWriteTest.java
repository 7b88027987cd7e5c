package org.disklens.image.vhdx;

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
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code convert -O vhdx} in each subformat and option: qemu-img must find every target identical to its source and
 * clean, read it with the expected size and block size, and so must libvhdi's {@code vhdiinfo} and 7-Zip; DiskLens's
 * {@code measure} must size what it writes; options are refused in qemu-img's words.
 */
class VhdxWriteTest {
    @TempDir
    static Path dir;
    static Path raw;
    static Path qcow2;

    @BeforeAll
    static void makeSources() {
        Qemu.require();
        raw = Qemu.create(dir, "source.raw", "raw", "", "100M");
        Qemu.io(dir, "source.raw", "raw", "write -P 0x11 0 3M", "write -P 0x22 17M 64k", "write -P 0 30M 2M",
                "write -P 0x33 99M 1M");
        qcow2 = Qemu.create(dir, "source.qcow2", "qcow2", "", "10000k");
        Qemu.io(dir, "source.qcow2", "qcow2", "write -P 0x44 0 1M", "write -P 0x55 9000k 512");
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("dynamic", List.of(), 8 << 20),
                Arguments.of("fixed", List.of("-o", "subformat=fixed"), 8 << 20),
                Arguments.of("dynamic-1m", List.of("-o", "block_size=1M"), 1 << 20),
                Arguments.of("fixed-32m", List.of("-o", "subformat=fixed,block_size=32M"), 32 << 20),
                Arguments.of("dynamic-256m", List.of("-o", "block_size=300M"), 256 << 20),
                Arguments.of("dynamic-log-3m", List.of("-o", "log_size=2.5M"), 8 << 20),
                Arguments.of("dynamic-not-zero", List.of("-o", "block_state_zero=off"), 8 << 20),
                Arguments.of("dynamic-S0", List.of("-S", "0"), 8 << 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void qemuImgAndOtherReadersAgree(String name, List<String> options, int blockSize) throws IOException {
        for (Path source : List.of(raw, qcow2)) {
            Path target = dir.resolve(name + "-" + source.getFileName() + ".vhdx");
            List<String> args = new ArrayList<>(List.of("convert", "-O", "vhdx"));
            args.addAll(options);
            args.add(source.toString());
            args.add(target.toString());
            Cli.Result converted = Cli.run(args.toArray(String[]::new));
            assertThat(converted.exitCode()).as(converted.err()).isZero();

            assertThat(Qemu.img(dir, "compare", source.toString(), target.toString())).contains("Images are identical.");
            Tools.Result check = Qemu.check(dir, target.toString());
            assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
            JsonNode info = Qemu.info(dir, target.toString());
            long size = Qemu.info(dir, source.toString()).get("virtual-size").asLong();
            assertThat(info.get("virtual-size").asLong()).isEqualTo(size);
            assertThat(info.get("cluster-size").asLong()).isEqualTo(blockSize);
            assertThat(vhdiinfoSize(target)).isEqualTo(size);
            assertThat(sevenZipSize(target)).isEqualTo(size);
            Cli.Result check2 = Cli.run("check", target.toString());
            assertThat(check2.exitCode()).as(check2.out()).isZero();

            Path back = dir.resolve(name + "-back.qcow2");
            assertThat(Cli.run("convert", "-O", "qcow2", target.toString(), back.toString()).exitCode()).isZero();
            assertThat(Qemu.img(dir, "compare", target.toString(), back.toString())).contains("Images are identical.");
            Files.delete(back);

            JsonNode measured = Cli.run(withMeasure(options, source)).json();
            if (source.equals(qcow2) && !options.contains("-S")) {
                assertThat(measured.get("required").asLong()).as("measure: required").isEqualTo(Files.size(target));
            } else if (!options.contains("-S")) {
                // blocks of stored zeroes count as touched (as qemu-img measure counts them), the writer skips them
                assertThat(measured.get("required").asLong()).as("measure: required").isGreaterThanOrEqualTo(Files.size(target));
            }
            if (name.startsWith("fixed")) {
                assertThat(measured.get("fully-allocated").asLong()).isEqualTo(Files.size(target));
            }
            Files.delete(target);
        }
    }

    private static String[] withMeasure(List<String> options, Path source) {
        List<String> args = new ArrayList<>(List.of("measure", "--output=json", "-O", "vhdx"));
        args.addAll(options.contains("-S") ? List.of() : options);
        args.add(source.toString());
        return args.toArray(String[]::new);
    }

    private static long vhdiinfoSize(Path image) {
        Tools.require("vhdiinfo");
        return number(Tools.run(dir, "vhdiinfo", image.toString()), "Media size\\s*:.*\\((\\d+) bytes\\)");
    }

    private static long sevenZipSize(Path image) {
        Tools.require("7zz");
        return number(Tools.run(dir, "7zz", "l", image.toString()), "(?m)^\\s+(\\d+)\\s+\\d+\\s+1 files");
    }

    private static long number(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void anEmptyDiskIsWrittenToo() throws IOException {
        Path empty = Qemu.create(dir, "empty.raw", "raw", "", "0");
        Path target = dir.resolve("empty.vhdx");
        assertThat(Cli.run("convert", "-O", "vhdx", empty.toString(), target.toString()).exitCode()).isZero();
        assertThat(Qemu.check(dir, target.toString()).exitCode()).isZero();
        assertThat(Qemu.info(dir, target.toString()).get("virtual-size").asLong()).isZero();
    }

    @Test
    void optionsAreRefusedInQemuImgsWords() {
        for (String options : List.of("block_size=3M", "log_size=0", "log_size=5G", "subformat=foo", "nosuch=1")) {
            Tools.Result qemu = Tools.exec(dir, "qemu-img", "create", "-q", "-f", "vhdx", "-o", options, "refused.vhdx", "1M");
            assertThat(qemu.exitCode()).as(options).isNotZero();
            String words = qemu.err().strip().replaceFirst("^qemu-img: (refused.vhdx: )?", "");
            Cli.Result ours = Cli.run("convert", "-O", "vhdx", "-o", options, raw.toString(), dir.resolve("x.vhdx").toString());
            assertThat(ours.exitCode()).isEqualTo(1);
            assertThat(ours.err()).as(options).contains(words.replaceFirst(" \\(allowed.*", "").strip());
        }
        Tools.Result backing = Tools.exec(dir, "qemu-img", "create", "-q", "-f", "vhdx", "-b", "x.vhdx", "-F", "vhdx", "c.vhdx");
        assertThat(backing.err()).contains("Backing file not supported for file format 'vhdx'");
        assertThat(Cli.run("convert", "-O", "vhdx", "-B", "x.vhdx", raw.toString(), dir.resolve("c.vhdx").toString()).err())
                .contains("Backing file not supported for file format 'vhdx'");
        assertThat(Cli.run("measure", "-O", "vhdx", "--size", "65T").err()).contains("Image size too large; max of 64TB");
        assertThat(Cli.run("convert", "-c", "-O", "vhdx", raw.toString(), dir.resolve("c.vhdx").toString()).err())
                .contains("Compression not supported for this file format");
    }

    @Test
    void blockSizesDefaultAsQemuImgs() {
        assertThat(VhdxLayout.defaultBlockSize(1L << 30)).isEqualTo(8 << 20);
        assertThat(VhdxLayout.defaultBlockSize((1L << 30) + 512)).isEqualTo(16 << 20);
        assertThat(VhdxLayout.defaultBlockSize(100L << 30)).isEqualTo(16 << 20);
        assertThat(VhdxLayout.defaultBlockSize((100L << 30) + 512)).isEqualTo(32 << 20);
        assertThat(VhdxLayout.defaultBlockSize((32L << 40) + 512)).isEqualTo(64 << 20);
        for (String size : List.of("1G", "2G", "101G")) {
            Path made = Qemu.create(dir, "default-" + size + ".vhdx", "vhdx", "", size);
            long qemuBlock = Qemu.info(dir, made.toString()).get("cluster-size").asLong();
            JsonNode ours = Cli.run("measure", "--output=json", "-O", "vhdx", "--size", size).json();
            VhdxLayout layout = VhdxLayout.of(org.disklens.image.QemuSize.parse(size), qemuBlock, 1 << 20);
            assertThat(ours.get("fully-allocated").asLong()).as(size).isEqualTo(layout.fileSize(layout.blocks()));
        }
    }
}

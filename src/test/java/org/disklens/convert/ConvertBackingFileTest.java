package org.disklens.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -B BASE -F FMT}: the new qcow2 holds only the source's top layer over BASE. qemu-img must find it clean,
 * reading the same guest disk as the source, naming BASE as its backing file, and with exactly the top layer's
 * clusters allocated (zero clusters where the top zeroes what BASE holds).
 */
class ConvertBackingFileTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeChain() {
        Qemu.require();
        Path base = Qemu.create(dir, "base.qcow2", "qcow2", "", "8M");
        Qemu.io(dir, base.toString(), "qcow2", "write -P 0x99 0 8M");
        Path top = Qemu.create(dir, "top.qcow2", "qcow2", "backing_file=base.qcow2,backing_fmt=qcow2", "8M");
        Qemu.io(dir, top.toString(), "qcow2", "write -P 0xaa 1M 1M", "write -z 3M 512k", "write -P 0 5M 64k",
                "write -P 0xbb 7000000 5000");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "compat=0.10", "extended_l2=on", "cluster_size=4k", "-c"})
    void writesOnlyTheTopLayer(String options) {
        Path out = dir.resolve("out-" + options.replaceAll("\\W", "") + ".qcow2");
        List<String> arguments = new ArrayList<>(List.of("convert", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2"));
        if (options.equals("-c")) {
            arguments.add("-c");
        } else if (!options.isEmpty()) {
            arguments.addAll(List.of("-o", options));
        }
        arguments.addAll(List.of(dir.resolve("top.qcow2").toString(), out.toString()));
        Cli.Result result = Cli.run(arguments.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();

        assertThat(Qemu.check(dir, out.toString()).exitCode()).isZero();
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", "top.qcow2", out.toString());
        assertThat(compare.exitCode()).as(compare.out()).isZero();
        JsonNode info = Qemu.info(dir, out.toString());
        assertThat(info.get("backing-filename").asText()).isEqualTo("base.qcow2");
        assertThat(info.get("backing-filename-format").asText()).isEqualTo("qcow2");
        assertThat(layers(Qemu.map(dir, out.toString()))).isEqualTo(layers(Qemu.map(dir, "top.qcow2")));
    }

    /** Which layer answers each 64 KiB of the disk (0: the image itself, 1: its backing file). */
    private static List<Integer> layers(JsonNode map) {
        List<Integer> depths = new ArrayList<>();
        for (JsonNode entry : map) {
            for (long at = 0; at < entry.get("length").asLong(); at += 65536) {
                depths.add(entry.get("depth").asInt());
            }
        }
        return depths;
    }

    @Test
    void refusesWhatQemuImgRefuses() {
        Path top = dir.resolve("top.qcow2");
        assertRefused("Use of backing file requires explicit backing format",
                "convert", "-O", "qcow2", "-B", "base.qcow2", top.toString(), dir.resolve("x.qcow2").toString());
        assertRefused("Could not open backing file 'missing.qcow2'",
                "convert", "-O", "qcow2", "-B", "missing.qcow2", "-F", "qcow2", top.toString(), dir.resolve("x.qcow2").toString());
        assertRefused("Backing file not supported for file format 'raw'",
                "convert", "-O", "raw", "-B", "base.qcow2", "-F", "qcow2", top.toString(), dir.resolve("x.raw").toString());
        assertRefused("Backing format cannot be used without backing file",
                "convert", "-O", "qcow2", "-F", "qcow2", top.toString(), dir.resolve("x.qcow2").toString());
        assertRefused("Backing file and preallocation cannot be used at the same time",
                "convert", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", "-o", "preallocation=metadata",
                top.toString(), dir.resolve("x.qcow2").toString());
        assertThat(dir.resolve("x.qcow2")).doesNotExist();
        assertThat(dir.resolve("x.raw")).doesNotExist();
    }

    static void assertRefused(String message, String... arguments) {
        Cli.Result result = Cli.run(arguments);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("disklens: ").contains(message).doesNotContain("\n");
    }
}

package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code disklens map} without --json prints what {@code qemu-img map} prints, line for line: only the runs holding
 * non-zero data, offsets as C's {@code %#x} writes them, and the file that holds each run as qemu names it.
 */
class HumanMapTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void needsQemu() {
        Qemu.require();
    }

    @Test
    void aRawFileWithDataWrittenZeroesAndHoles() {
        Path raw = Qemu.create(dir, "disk.raw", "raw", "", "8M");
        Qemu.io(dir, raw.toString(), "raw", "write -P 0x61 0 64k", "write -P 0 1M 64k", "write -P 0x62 3M 1M");
        assertSameAsQemu(raw);
    }

    @Test
    void aBackingChainWithZeroClusters() {
        Path base = Qemu.create(dir, "base.qcow2", "qcow2", "", "16M");
        Qemu.io(dir, base.toString(), "qcow2", "write -P 0x11 0 2M", "write -P 0x12 8M 1M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", dir.resolve("top.qcow2").toString());
        Path top = dir.resolve("top.qcow2");
        Qemu.io(dir, top.toString(), "qcow2", "write -P 0x21 1M 512k", "write -z 8M 64k", "write -P 0x22 12M 64k");
        assertSameAsQemu(top);
    }

    @Test
    void vmdkDataIsInTheExtentFilesNotTheDescriptor() {
        Path raw = Qemu.create(dir, "for-vmdk.raw", "raw", "", "8M");
        Qemu.io(dir, raw.toString(), "raw", "write -P 0x31 0 1M", "write -P 0x32 5M 64k");
        for (String subformat : new String[] {"twoGbMaxExtentFlat", "monolithicSparse", "twoGbMaxExtentSparse"}) {
            Path vmdk = dir.resolve(subformat + ".vmdk");
            Qemu.img(dir, "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=" + subformat, raw.toString(), vmdk.toString());
            assertSameAsQemu(vmdk);
        }
    }

    @Test
    void aRangeOfTheDiskAsQemuImgCutsIt() {
        Path base = Qemu.create(dir, "range-base.qcow2", "qcow2", "", "16M");
        Qemu.io(dir, base.toString(), "qcow2", "write -P 0x11 0 3M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-b", "range-base.qcow2", "-F", "qcow2",
                dir.resolve("range-top.qcow2").toString());
        Path top = dir.resolve("range-top.qcow2");
        Qemu.io(dir, top.toString(), "qcow2", "write -P 0x21 1M 512k", "write -P 0x22 4M 1M");
        for (String[] range : new String[][] {{"--start-offset=1536k", "--max-length=3M"}, {"--start-offset=4100k",
                "--max-length=1k"}, {"--max-length=100"}, {"--start-offset", "2M"}}) {
            assertSameAsQemu(top, range);
            JsonNode expected = Cli.parse(Qemu.img(dir, concat(new String[] {"map", "--output=json"}, range, top.toString())));
            Cli.Result ours = Cli.run(concat(new String[] {"map", "--json"}, range, top.toString()));
            JsonSubset.assertContains(expected, ours.json());
        }
    }

    @Test
    void aBadOffsetIsRefusedInQemuImgsWords() {
        Cli.Result result = Cli.run("map", "--start-offset=x", "any.qcow2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("disklens: Invalid start offset specified. You may use k, M, G, T, P or E");
    }

    private static String[] concat(String[] head, String[] middle, String last) {
        return Stream.concat(Stream.concat(Stream.of(head), Stream.of(middle)), Stream.of(last)).toArray(String[]::new);
    }

    private static void assertSameAsQemu(Path image, String... options) {
        String expected = Qemu.img(dir, concat(new String[] {"map"}, options, image.toString()));
        Cli.Result ours = Cli.run(concat(new String[] {"map"}, options, image.toString()));
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        assertThat(ours.out()).isEqualTo(expected);
    }
}

package org.disklens.image.vhdx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differencing disks. qemu-img cannot make them ({@code -b} is refused for vhdx) nor read them, so the child is built
 * from MS-VHDX ({@link VhdxBuilder}) over a parent qemu-img made, and DiskLens's reading is held to the bytes the test
 * put in each layer; libvhdi's {@code vhdiinfo} reads the child's parent link.
 */
class VhdxDifferencingTest {
    static final int MIB = 1 << 20;
    @TempDir
    static Path dir;
    static Path base;
    static Path child;
    static byte[] expected;

    @BeforeAll
    static void makeChain() throws IOException {
        Qemu.require();
        base = Qemu.create(dir, "base.vhdx", "vhdx", "block_size=1M", "8M");
        Qemu.io(dir, "base.vhdx", "vhdx", "write -P 0xb0 0 8M");
        Guid parentData;
        try (VhdxImage parent = VhdxLogReplayTest.open(base)) {
            parentData = parent.header().dataWriteGuid();
        }
        BitSet partial = new BitSet();
        partial.set(0, 8);
        partial.set(100, 2048);
        BitSet single = new BitSet();
        single.set(5);
        child = builder(parentData).write(dir.resolve("child.vhdx"));

        expected = new byte[8 * MIB];
        Arrays.fill(expected, (byte) 0xb0);
        Arrays.fill(expected, MIB, 2 * MIB, (byte) 0xc1);
        for (int sector = partial.nextSetBit(0); sector >= 0; sector = partial.nextSetBit(sector + 1)) {
            Arrays.fill(expected, 2 * MIB + sector * 512, 2 * MIB + sector * 512 + 512, (byte) 0xc2);
        }
        Arrays.fill(expected, 3 * MIB, 4 * MIB, (byte) 0);
        Arrays.fill(expected, 4 * MIB + 5 * 512, 4 * MIB + 6 * 512, (byte) 0xc4);
    }

    static VhdxBuilder builder(Guid parentData) {
        BitSet partial = new BitSet();
        partial.set(0, 8);
        partial.set(100, 2048);
        BitSet single = new BitSet();
        single.set(5);
        Map<String, String> locator = new LinkedHashMap<>();
        locator.put("parent_linkage", parentData.braced());
        locator.put("relative_path", ".\\base.vhdx");
        locator.put("absolute_win32_path", "\\\\?\\C:\\vms\\base.vhdx");
        return new VhdxBuilder(8 * MIB, MIB).parent(locator)
                .block(1, Bat.FULLY_PRESENT, filled(MIB, 0xc1))
                .partial(2, filled(MIB, 0xc2), partial)
                .block(3, Bat.ZERO, null)
                .partial(4, filled(MIB, 0xc4), single);
    }

    @Test
    void readsThroughTheParentWhereTheBitmapSaysSo() throws IOException {
        Path out = dir.resolve("child.raw");
        Cli.Result converted = Cli.run("convert", "-O", "raw", child.toString(), out.toString());
        assertThat(converted.exitCode()).as(converted.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(expected);
        Files.delete(out);
    }

    @Test
    void infoNamesTheParentAndMapShowsBitmapRuns() {
        JsonNode chain = Cli.run("info", "--json", "--backing-chain", child.toString()).json();
        assertThat(chain.get(0).get("backing-filename").asText()).isEqualTo("base.vhdx");
        assertThat(chain.get(0).get("backing-filename-format").asText()).isEqualTo("vhdx");
        assertThat(chain.get(1).get("filename").asText()).endsWith("base.vhdx");

        JsonNode map = Cli.run("map", "--json", child.toString()).json();
        long[][] runs = {{0, MIB, 1}, {MIB, MIB, 0}, {2 * MIB, 8 * 512, 0}, {2 * MIB + 8 * 512, 92 * 512, 1},
            {2 * MIB + 100 * 512, 1948 * 512, 0}, {3 * MIB, MIB, 0}, {4 * MIB, 5 * 512, 1}, {4 * MIB + 5 * 512, 512, 0},
            {4 * MIB + 6 * 512, 4 * MIB - 6 * 512, 1}};
        assertThat(map.size()).as(map.toString()).isEqualTo(runs.length);
        for (int i = 0; i < runs.length; i++) {
            assertThat(map.get(i).get("start").asLong()).as(map.toString()).isEqualTo(runs[i][0]);
            assertThat(map.get(i).get("length").asLong()).as(map.toString()).isEqualTo(runs[i][1]);
            assertThat(map.get(i).get("depth").asLong()).as(map.toString()).isEqualTo(runs[i][2]);
        }
    }

    @Test
    void libvhdiReadsTheSameParentLink() throws IOException {
        Tools.require("vhdiinfo");
        String info = Tools.run(dir, "vhdiinfo", child.toString());
        assertThat(info).contains("Differential");
        try (VhdxImage parent = VhdxLogReplayTest.open(base)) {
            assertThat(info).containsIgnoringCase(parent.header().dataWriteGuid().toString());
        }
        assertThat(info).contains("base.vhdx");
        assertThat(Cli.run("check", child.toString()).exitCode()).isZero();
    }

    @Test
    void aParentWhoseDataChangedIsReported() throws IOException {
        Path stale = builder(Guid.random()).write(dir.resolve("stale.vhdx"));
        try (VhdxImage image = VhdxLogReplayTest.open(stale); VhdxImage parent = VhdxLogReplayTest.open(base)) {
            assertThat(image.linkProblemWith(parent)).hasValueSatisfying(problem ->
                    assertThat(problem).contains("does not match its parent's data write GUID"));
        }
        try (VhdxImage image = VhdxLogReplayTest.open(child); VhdxImage parent = VhdxLogReplayTest.open(base)) {
            assertThat(image.linkProblemWith(parent)).isEmpty();
        }
        Cli.Result map = Cli.run("map", stale.toString());
        assertThat(map.err()).contains("does not match its parent's data write GUID");
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}

package org.disklens.image.vhd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differencing VHDs and sector bitmaps. qemu-img 7.2 cannot create a differencing VHD, so the child is written here
 * from the specification ({@link VhdBuilder}) over a parent qemu-img made; what DiskLens reads through the chain is
 * held to the parent's bytes (qemu-img's raw conversion of it) overlaid with the sectors the child stores, and
 * vhdiinfo (libvhdi) must read the child's parent name as written.
 */
class VhdDifferencingTest {
    static final long SIZE = 8 << 20;
    @TempDir
    static Path dir;
    static Path parent;
    static Path parentRaw;

    @BeforeAll
    static void makeParent() {
        Qemu.require();
        parent = Qemu.create(dir, "parent.vhd", "vpc", "force_size=on", "8M");
        Qemu.io(dir, "parent.vhd", "vpc", "write -P 0x11 0 3M", "write -P 0x22 5M 1M", "write -P 0x33 7M 1M");
        parentRaw = dir.resolve("parent.raw");
        Qemu.img(dir, "convert", "-f", "vpc", "-O", "raw", parent.toString(), parentRaw.toString());
    }

    @Test
    void qemuImgCannotCreateOne() {
        Tools.Result result = Tools.exec(dir, "qemu-img", "create", "-f", "vpc", "-b", "parent.vhd", "-F", "vpc",
                "child-by-qemu.vhd");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Backing file not supported for file format 'vpc'");
    }

    /** Sectors the child stores, sectors it leaves to the parent inside its blocks, and whole blocks it has not. */
    @Test
    void theChainReadsTheChildOverItsParent() throws IOException {
        Path child = dir.resolve("child.vhd");
        byte[] expected = Files.readAllBytes(parentRaw);
        VhdBuilder builder = VhdBuilder.differencing(SIZE, VhdFiles.uniqueId(parent), "parent.vhd")
                .locator("W2ku", VhdBuilder.utf16le("C:\\VMs\\parent.vhd"))
                .locator("W2ru", VhdBuilder.utf16le(".\\parent.vhd"));
        write(builder, expected, 0, 4096, 0x41);
        write(builder, expected, 8192, 512, 0x42);
        write(builder, expected, (2 << 20) + 1024, 3 * 512, 0x43);
        write(builder, expected, (6 << 20) - 512, 1024, 0x44);
        builder.junk(100 * 512, filled(512, 0x7e)); // in a block, its bit clear: the parent's bytes show through
        builder.writeTo(child);
        Path reference = dir.resolve("child-expected.raw");
        Files.write(reference, expected);

        Cli.Result same = Cli.run("compare", child.toString(), reference.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        assertThat(same.err()).doesNotContain("warning");

        JsonNode chain = Cli.run("info", "--json", "--backing-chain", child.toString()).json();
        assertThat(chain.get(0).get("backing-filename").asText()).isEqualTo("parent.vhd");
        assertThat(chain.get(0).get("backing-filename-format").asText()).isEqualTo("vpc");
        assertThat(chain.get(0).get("virtual-size").asLong()).isEqualTo(SIZE);
        assertThat(chain.get(1).get("filename").asText()).endsWith("parent.vhd");

        JsonNode map = Cli.run("map", "--json", child.toString()).json();
        assertThat(map.get(0).get("depth").asInt()).isZero();
        assertThat(map.get(0).get("length").asLong()).isEqualTo(4096);
        assertThat(map.get(1).get("depth").asInt()).as("sectors whose bits are clear: the parent's").isEqualTo(1);
        assertThat(map.get(1).get("start").asLong()).isEqualTo(4096);

        Tools.require("vhdiinfo");
        String vhdiinfo = Tools.run(dir, "vhdiinfo", child.toString());
        assertThat(vhdiinfo).contains("Differential").contains("parent.vhd");
    }

    /** The parent is looked for by the file name of its unicode name when there is no relative locator. */
    @Test
    void withoutARelativeLocatorTheParentNameIsUsed() throws IOException {
        Path child = dir.resolve("named-child.vhd");
        VhdBuilder builder = VhdBuilder.differencing(SIZE, VhdFiles.uniqueId(parent), "D:\\old place\\parent.vhd")
                .locator("MacX", "file://localhost/Users/someone/parent.vhd".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        builder.write(0, filled(512, 0x61));
        builder.writeTo(child);
        byte[] expected = Files.readAllBytes(parentRaw);
        Arrays.fill(expected, 0, 512, (byte) 0x61);
        Path reference = dir.resolve("named-child.raw");
        Files.write(reference, expected);
        Cli.Result same = Cli.run("compare", child.toString(), reference.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
    }

    /** A parent whose unique id is not the one the child names: the chain opens, with a warning. */
    @Test
    void aParentWithAnotherUniqueIdIsAWarning() {
        Path child = dir.resolve("stranger-child.vhd");
        byte[] otherId = VhdFiles.uniqueId(parent).clone();
        otherId[0] ^= 1;
        VhdBuilder.differencing(SIZE, otherId, "parent.vhd").write(0, filled(512, 1)).writeTo(child);
        Cli.Result result = Cli.run("map", "--json", child.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("disklens: warning: stranger-child.vhd: the parent's unique id");
    }

    /** A missing parent is named (and the chain does not silently read zeroes). */
    @Test
    void aMissingParentIsNamed() {
        Path child = dir.resolve("orphan.vhd");
        VhdBuilder.differencing(SIZE, new byte[16], "gone.vhd").locator("W2ru", VhdBuilder.utf16le(".\\gone.vhd"))
                .write(0, filled(512, 1)).writeTo(child);
        Cli.Result result = Cli.run("compare", child.toString(), parentRaw.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("gone.vhd").contains("not found");
    }

    /**
     * In a dynamic disk a clear bit means zeroes, whatever the block stores there (the specification's meaning; qemu
     * reads the stored bytes, but never writes such a block itself).
     */
    @Test
    void aDynamicDisksClearBitsReadAsZeroes() throws IOException {
        Path sparse = dir.resolve("partial-bitmap.vhd");
        byte[] expected = new byte[(int) SIZE];
        VhdBuilder builder = VhdBuilder.dynamic(SIZE);
        write(builder, expected, 512, 512, 0x51);
        write(builder, expected, (4 << 20) + 4096, 8192, 0x52);
        builder.junk(0, filled(512, 0x7f)).junk((4 << 20), filled(4096, 0x7f));
        builder.writeTo(sparse);
        Path reference = dir.resolve("partial-bitmap.raw");
        Files.write(reference, expected);
        Cli.Result same = Cli.run("compare", sparse.toString(), reference.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        JsonNode map = Cli.run("map", "--json", sparse.toString()).json();
        assertThat(map.get(0).get("zero").asBoolean()).isTrue();
        assertThat(map.get(0).get("length").asLong()).isEqualTo(512);
        assertThat(map.get(1).get("data").asBoolean()).isTrue();
        assertThat(map.get(1).get("offset").asLong()).isEqualTo(1536 + 512 + 512 + 512);
        Cli.Result check = Cli.run("check", sparse.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();
    }

    private static void write(VhdBuilder builder, byte[] expected, int offset, int length, int value) {
        byte[] bytes = filled(length, value);
        builder.write(offset, bytes);
        System.arraycopy(bytes, 0, expected, offset, length);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}

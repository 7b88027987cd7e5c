package org.disklens.image.vhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile VHDs, poked into good ones qemu-img made: a clear one-line error naming the structure, or a sound answer
 * (with {@code check} naming the damage), fast, input untouched.
 */
class VhdHostileTest {
    /** The good dynamic disk: footer copy, header at 512, BAT at 1536 (4 entries, one sector), blocks from 2048. */
    static final long BAT = 1536;
    static final long HEADER = 512;
    @TempDir
    static Path dir;
    static Path dynamic;
    static Path fixed;
    static long dynamicSize;

    @BeforeAll
    static void makeGoodImages() throws IOException {
        Qemu.require();
        dynamic = Qemu.create(dir, "good.vhd", "vpc", "force_size=on", "8M");
        Qemu.io(dir, "good.vhd", "vpc", "write -P 0x11 0 64k", "write -P 0x22 2M 64k", "write -P 0x33 6M 4k");
        fixed = Qemu.create(dir, "good-fixed.vhd", "vpc", "subformat=fixed,force_size=on", "4M");
        Qemu.io(dir, "good-fixed.vhd", "vpc", "write -P 0x44 0 64k");
        dynamicSize = Files.size(dynamic);
    }

    // ---- refused at open, as qemu refuses them ----

    @Test
    void aBatEntryPointingAtTheFooterIsRefused() {
        Path image = Hostile.poke(dynamic, "bat-at-footer.vhd", BAT + 4, (dynamicSize - 512) / 512, 4);
        Hostile.assertRefused(image, "vpc: BAT at 0x600: entry 1 puts block 1 at", "info", image.toString());
        Hostile.convertSafely(image);
    }

    @Test
    void aBatEntryPastTheEndIsRefused() {
        Path image = Hostile.poke(dynamic, "bat-past-end.vhd", BAT + 8, 0x7ffffff0L, 4);
        Hostile.assertRefused(image, "past the end of the file", "map", image.toString());
    }

    @Test
    void aTruncatedDynamicDiskIsRefused() {
        Path image = Hostile.truncated(dynamic, "truncated.vhd", dynamicSize - 4096);
        Hostile.assertRefused(image, "the image is truncated", "info", image.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 3, 1000, 0x7fffffffL, 0xffffffffL})
    void absurdBatSizesAreRefused(long entries) {
        Path image = Hostile.poke(dynamic, "entries-%d.vhd".formatted(entries), HEADER + 28, entries, 4);
        Cli.Result result = Hostile.runSafely(image, "info", image.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("vpc: BAT at 0x600: ").containsAnyOf("cannot map a disk", "more than qemu reads",
                "run past the end of the file", "exceed the limit", "the image is truncated");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 256, 0x3000, 0x80000000L, 0xffffffffL})
    void absurdBlockSizesAreRefused(long blockSize) {
        Path image = Hostile.poke(dynamic, "block-%d.vhd".formatted(blockSize), HEADER + 32, blockSize, 4);
        Cli.Result result = Hostile.runSafely(image, "info", image.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("disklens: ").contains("vpc: ");
    }

    @Test
    void aFooterWithABadChecksumIsRefused() {
        Path image = Hostile.poke(dynamic, "bad-checksum.vhd", 24, 0x12345678, 4);
        Hostile.assertRefused(image, "vpc: footer copy at 0x0: incorrect checksum", "info", image.toString());
        Path fixedImage = Hostile.poke(fixed, "bad-checksum-fixed.vhd", fixedSize() - 512 + 24, 0x12345678, 4);
        Hostile.assertRefused(fixedImage, "vpc: footer at 0x400000: incorrect checksum", "info", fixedImage.toString());
    }

    @Test
    void aDataOffsetPastTheEndIsRefused() {
        Path image = VhdFiles.withFooters(dynamic, "data-offset.vhd", footer -> footer.putLong(16, 1L << 40));
        Hostile.assertRefused(image, "dynamic disk header's offset 0x10000000000 lies past the end", "info",
                image.toString());
        Path negative = VhdFiles.withFooters(dynamic, "data-offset-ones.vhd", footer -> footer.putLong(16, -1));
        Hostile.assertRefused(negative, "lies past the end", "info", negative.toString());
    }

    @Test
    void aHeaderWithoutItsCookieIsRefused() {
        Path image = Hostile.poke(dynamic, "no-cxsparse.vhd", HEADER, 0, 8);
        Hostile.assertRefused(image, "vpc: dynamic disk header at 0x200: no 'cxsparse' cookie", "info", image.toString());
    }

    @Test
    void aDynamicDiskWithoutItsFooterCopyIsRefused() {
        Path image = Hostile.poke(dynamic, "no-copy.vhd", 0, 0, 8);
        Hostile.assertRefused(image, "vpc: footer copy at 0x0: missing: a dynamic disk begins with a copy", "info", image.toString());
    }

    @Test
    void aDiskLargerThan2040GiBIsRefused() {
        Path image = VhdFiles.withFooters(dynamic, "huge.vhd", VhdFiles.creator("win ")
                .andThen(VhdFiles.currentSize(3L << 40)));
        Hostile.assertRefused(image, "larger than 2040 GiB", "info", image.toString());
    }

    @Test
    void anUnknownDiskTypeIsRefused() {
        Path image = VhdFiles.withFooters(dynamic, "type-5.vhd", footer -> footer.putInt(60, 5));
        Hostile.assertRefused(image, "disk type reserved (5)", "info", image.toString());
    }

    @Test
    void aFileTooShortIsRefused() throws IOException {
        Path image = dir.resolve("short.vhd");
        Files.write(image, "conectix".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Hostile.assertRefused(image, "too short for a footer", "info", "-f", "vpc", image.toString());
    }

    // ---- opened, the damage named by check ----

    @Test
    void aBlockOverTheHeaderOpensAndCheckSaysSo() {
        Path image = Hostile.poke(dynamic, "block-over-header.vhd", BAT + 12, 1, 4);
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("ERROR: block 3 (guest offset 0x600000) at 0x200 overlaps the dynamic disk header",
                "overlaps the BAT");
        Hostile.runSafely(image, "map", "--json", image.toString());
        Hostile.convertSafely(image);
    }

    @Test
    void twoBlocksInOnePlaceOpenAndCheckSaysSo() throws IOException {
        ByteBuffer first = ByteBuffer.allocate(4);
        try (var channel = java.nio.channels.FileChannel.open(dynamic)) {
            channel.read(first, BAT);
        }
        Path image = Hostile.poke(dynamic, "shared-block.vhd", BAT + 12, first.getInt(0), 4);
        Cli.Result check = Hostile.runSafely(image, "check", "--json", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("overlaps block 0");
        assertThat(check.json().get("corruptions").asInt()).isEqualTo(1);
    }

    @Test
    void aDamagedDynamicHeaderChecksumIsAWarningAsQemuIgnoresIt() {
        Path image = Hostile.poke(dynamic, "header-checksum.vhd", HEADER + 36, 0x0badf00d, 4);
        Cli.Result info = Hostile.runSafely(image, "info", "--json", image.toString());
        assertThat(info.exitCode()).isZero();
        assertThat(info.json().get("virtual-size").asLong()).isEqualTo(8 << 20);
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("dynamic disk header at 0x200: incorrect checksum 0x0badf00d");
    }

    @Test
    void aMissingEndFooterIsAWarningAsQemuIgnoresIt() {
        Path image = Hostile.poke(dynamic, "no-end-footer.vhd", dynamicSize - 512, 0, 8);
        Cli.Result map = Hostile.runSafely(image, "map", "--json", image.toString());
        assertThat(map.exitCode()).isZero();
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("missing (no 'conectix' cookie)");
    }

    @Test
    void aFixedDiskLongerThanItsDataReadsZeroesPastIt() {
        Path image = VhdFiles.withFooters(fixed, "fixed-too-big.vhd", VhdFiles.creator("win ")
                .andThen(VhdFiles.currentSize(64L << 30)));
        Cli.Result info = Hostile.runSafely(image, "info", "--json", image.toString());
        assertThat(info.json().get("virtual-size").asLong()).isEqualTo(64L << 30);
        Hostile.runSafely(image, "map", "--json", image.toString());
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("only 4194304 are stored before the footer");
    }

    @Test
    void aLocatorPastTheEndIsNamedAndTheParentNameStillUsed() {
        Path child = dir.resolve("bad-locator.vhd");
        VhdBuilder.differencing(4 << 20, VhdFiles.uniqueId(dynamic), "good.vhd")
                .locator("W2ru", VhdBuilder.utf16le(".\\elsewhere.vhd")).writeTo(child);
        // Move the locator's data offset (entry 0, at 512 + 576 + 16) far past the end.
        Path image = Hostile.poke(child, "bad-locator-far.vhd", HEADER + 576 + 16, 1L << 50, 8);
        Path fixedSum = fixHeaderChecksum(image);
        Cli.Result info = Hostile.runSafely(fixedSum, "info", "--json", fixedSum.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("backing-filename").asText()).isEqualTo("good.vhd");
        Cli.Result check = Hostile.runSafely(fixedSum, "check", fixedSum.toString());
        assertThat(check.err()).contains("parent locator 0 (W2ru)").contains("past the end of the file");
    }

    private static Path fixHeaderChecksum(Path image) {
        try {
            byte[] all = Files.readAllBytes(image);
            byte[] header = java.util.Arrays.copyOfRange(all, (int) HEADER, (int) HEADER + 1024);
            ByteBuffer.wrap(all).putInt((int) HEADER + 36, VhdFiles.checksum(header, 36));
            Files.write(image, all);
            return image;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long fixedSize() {
        try {
            return Files.size(fixed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package org.disklens.image.vhdx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile VHDX files, poked into a good one qemu-img made (64 MiB, 8 MiB blocks: log at 1 MiB, BAT at 2 MiB, metadata
 * at 3 MiB) or built from the spec with checksums resealed so the damage under test is reached: each a clear one-line
 * error (or a sound answer), fast, the input untouched.
 */
class HostileVhdxTest {
    static final long MIB = 1 << 20;
    static final long BAT = 2 * MIB;
    static final long METADATA = 3 * MIB;
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void makeGoodImage() {
        Qemu.require();
        good = Qemu.create(dir, "good.vhdx", "vhdx", "", "64M");
        Qemu.io(dir, "good.vhdx", "vhdx", "write -P 0x11 0 128k", "write -P 0x22 20M 64k");
    }

    private static Path copy(String name) throws IOException {
        return Files.copy(good, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path poke(String name, long offset, long value, int width) throws IOException {
        Path copy = copy(name);
        ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 2 -> bytes.putShort((short) value);
            case 4 -> bytes.putInt((int) value);
            default -> bytes.putLong(value);
        }
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            channel.write(bytes.flip(), offset);
        }
        return copy;
    }

    /** Refused in one line by every reading command; {@code check} too, and conversion leaves nothing behind. */
    private static void refusedEverywhere(Path image, String expected) {
        for (String verb : List.of("info", "map", "compare")) {
            String[] args = verb.equals("compare") ? new String[] {verb, image.toString(), image.toString()}
                    : new String[] {verb, image.toString()};
            Hostile.assertRefused(image, expected, args);
        }
        Hostile.runSafely(image, "check", image.toString());
        Hostile.convertSafely(image);
    }

    // ---- the log ----

    @Test
    void logEntriesThatLoopAroundTheLogAreRefused() throws IOException {
        Path image = copy("log-loop.vhdx");
        long k = 1024;
        LogBuilder log = new LogBuilder(image);
        // C lies inside A; A runs to B, B wraps around the log's end to C: a sequence longer than the log
        log.entry(4 * k, 8 * k, 3, 0, List.of(), 0, 0);
        log.entry(0, 512 * k, 1, 0, List.of(), 0, 0);
        log.entry(512 * k, 516 * k, 2, 0, List.of(), 0, 0);
        log.install();
        refusedEverywhere(image, "loop around the log");
    }

    @Test
    void logWritesIntoTheHeadersAreRefused() throws IOException {
        Path image = copy("log-headers.vhdx");
        new LogBuilder(image).entry(0, 1, 0, List.of(LogBuilder.Descriptor.data(64 * 1024, new byte[4096]))).install();
        refusedEverywhere(image, "into the headers");
    }

    @Test
    void logWritesIntoTheLogAreRefused() throws IOException {
        Path image = copy("log-itself.vhdx");
        new LogBuilder(image).entry(0, 1, 0, List.of(LogBuilder.Descriptor.zero(MIB + 64 * 1024, 4096))).install();
        refusedEverywhere(image, "into the log itself");
    }

    @Test
    void logWritesPastTheEndAreRefused() throws IOException {
        Path image = copy("log-far.vhdx");
        new LogBuilder(image).entry(0, 1, 0, List.of(LogBuilder.Descriptor.zero(1L << 40, 1L << 30))).install();
        refusedEverywhere(image, "past the end of the file");
    }

    @Test
    void aLogWithoutAValidSequenceIsRefused() throws IOException {
        Path image = copy("log-broken.vhdx");
        new LogBuilder(image).entry(0, 1, 0, List.of(LogBuilder.Descriptor.zero(8 * MIB, 4096))).install();
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), MIB + 4); // the entry's checksum
        }
        refusedEverywhere(image, "no complete sequence");
    }

    @Test
    void aTruncatedFileWithAPendingLogIsRefused() throws IOException {
        Path image = copy("log-truncated.vhdx");
        new LogBuilder(image).entry(0, 4096 * 2, 1, 0, List.of(LogBuilder.Descriptor.zero(8 * MIB, 4096)), 1L << 40,
                1L << 40).install();
        refusedEverywhere(image, "the file was truncated");
    }

    @Test
    void aLogLongerThanTheFileIsRefused() throws IOException {
        Path image = copy("log-long.vhdx");
        new LogBuilder(image).entry(0, 1, 0, List.of(LogBuilder.Descriptor.zero(8 * MIB, 4096))).install();
        VhdxBuilder.patchHeaders(image, header -> header.putInt(68, 0xfff00000));
        refusedEverywhere(image, "run past the end of the file");
    }

    // ---- headers and region table ----

    @Test
    void twoBrokenHeadersAreRefused() throws IOException {
        Path image = poke("headers.vhdx", VhdxHeader.FIRST_OFFSET + 8, 7, 8);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[8]), VhdxHeader.SECOND_OFFSET + 8);
        }
        refusedEverywhere(image, "no valid header");
    }

    @Test
    void oneBrokenHeaderIsReadAndReportedByCheck() throws IOException {
        Path image = poke("one-header.vhdx", VhdxHeader.SECOND_OFFSET + 8, 7, 8);
        assertThat(Hostile.runSafely(image, "info", image.toString()).exitCode()).isZero();
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.out() + check.err()).contains("header 2");
    }

    @Test
    void duplicateRegionEntriesAreRefused() throws IOException {
        Path image = copy("duplicate-bat.vhdx");
        VhdxBuilder.patchRegionTable(image, table -> {
            table.putInt(8, 3);
            table.put(16 + 64, table.array(), 16, 32); // a second BAT entry
        });
        refusedEverywhere(image, "duplicate BAT entry");
    }

    @Test
    void unknownRequiredRegionsAreRefusedByName() throws IOException {
        Path image = copy("required-region.vhdx");
        Guid unknown = Guid.fromText("01234567-89ab-cdef-0123-456789abcdef");
        VhdxBuilder.patchRegionTable(image, table -> {
            table.putInt(8, 3);
            unknown.encode(table, 16 + 64);
            table.putLong(16 + 64 + 16, 40 * MIB).putInt(16 + 64 + 24, (int) MIB).putInt(16 + 64 + 28, 1);
        });
        refusedEverywhere(image, "required region {01234567-89ab-cdef-0123-456789abcdef} is unknown");
    }

    @Test
    void regionsOverlappingTheLogAreRefused() throws IOException {
        Path image = copy("region-on-log.vhdx");
        VhdxBuilder.patchRegionTable(image, table -> table.putLong(16 + 16, MIB + 4096));
        refusedEverywhere(image, "overlaps another region or the log");
    }

    @Test
    void aBrokenRegionTableChecksumIsRefused() throws IOException {
        Path image = poke("region-crc.vhdx", RegionTable.FIRST_OFFSET + 16 + 16, 5 * MIB, 8);
        refusedEverywhere(image, "region table at 0x30000: checksum mismatch");
    }

    @Test
    void aFileEndingInTheHeadersIsRefused() {
        Path image = Hostile.truncated(good, "short.vhdx", 100_000);
        refusedEverywhere(image, "ends inside the header section");
    }

    // ---- BAT ----

    /** The BAT is read as it is used: info opens the file, every command that reads the damaged block refuses it. */
    private static void refusedWhenRead(Path image, String expected) {
        Hostile.runSafely(image, "info", image.toString());
        Hostile.assertRefused(image, expected, "map", image.toString());
        Hostile.assertRefused(image, expected, "compare", image.toString(), image.toString());
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        Hostile.convertSafely(image);
    }

    @Test
    void batEntriesPastTheEndAreRefusedAndCheckedAsQemuDoes() throws IOException {
        Path image = poke("bat-far.vhdx", BAT, Bat.entry(Bat.FULLY_PRESENT, 1L << 40), 8);
        refusedWhenRead(image, "runs past the end of the file");
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("VHDX BAT entry 0 start offset 1099511627776 points after end of file");
    }

    @Test
    void batEntriesIntoTheHeadersAreRefused() throws IOException {
        Path image = poke("bat-headers.vhdx", BAT, Bat.entry(Bat.FULLY_PRESENT, 0), 8);
        refusedWhenRead(image, "overlaps the header section");
    }

    @Test
    void batEntriesIntoTheBatAreRefused() throws IOException {
        Path image = poke("bat-bat.vhdx", BAT, Bat.entry(Bat.FULLY_PRESENT, BAT), 8);
        refusedWhenRead(image, "overlaps the BAT");
    }

    @Test
    void overlappingBlocksAreReportedByCheck() throws IOException {
        long firstBlock;
        try (VhdxImage image = VhdxLogReplayTest.open(good)) {
            firstBlock = Bat.fileOffset(image.bat().get(0));
        }
        Path image = poke("bat-twice.vhdx", BAT + 8, Bat.entry(Bat.FULLY_PRESENT, firstBlock), 8);
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("their blocks overlap");
    }

    @Test
    void reservedStatesAreRefused() throws IOException {
        Path image = poke("bat-state.vhdx", BAT, 4, 8);
        refusedWhenRead(image, "reserved payload state 4");
    }

    // ---- metadata ----

    @Test
    void absurdBlockSizesAreRefused() throws IOException {
        Path image = poke("block-size.vhdx", METADATA + 64 * 1024, 0x12345, 4);
        refusedEverywhere(image, "block size 74565 is not a power of two");
    }

    @Test
    void absurdVirtualSizesAreRefused() throws IOException {
        Path image = poke("virtual-size.vhdx", METADATA + 64 * 1024 + 8, 1L << 62, 8);
        refusedEverywhere(image, "exceed the 64 TiB");
    }

    @Test
    void virtualSizesTheBatCannotHoldAreRefused() throws IOException {
        Path image = poke("virtual-size-bat.vhdx", METADATA + 64 * 1024 + 8, 60L << 40, 8);
        refusedEverywhere(image, "hold fewer than the");
    }

    @Test
    void absurdMetadataItemLengthsAreRefused() throws IOException {
        Path image = poke("item-length.vhdx", METADATA + 32 + 20, 2 * MIB, 4);
        refusedEverywhere(image, "exceeds the 1 MiB");
    }

    @Test
    void metadataItemsOutsideTheRegionAreRefused() throws IOException {
        Path image = poke("item-offset.vhdx", METADATA + 32 + 16, (int) MIB - 4, 4);
        refusedEverywhere(image, "outside the metadata region");
    }

    @Test
    void absurdMetadataEntryCountsAreRefused() throws IOException {
        Path image = poke("item-count.vhdx", METADATA + 10, 5000, 2);
        refusedEverywhere(image, "5000 entries");
    }

    @Test
    void parentPathsOutsideTheFolderAreNotFollowed() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("escape"));
        Path child = new VhdxBuilder(8 * MIB, MIB).parent(Map.of("parent_linkage", Guid.random().braced(),
                "relative_path", "..\\..\\etc\\passwd")).write(sub.resolve("escape.vhdx"));
        Cli.Result info = Hostile.runSafely(child, "info", "--json", child.toString());
        assertThat(info.out()).contains("../../etc/passwd");
        Hostile.assertRefused(child, "outside", "convert", "-O", "raw", child.toString(), sub.resolve("x.raw").toString());
        assertThat(sub.resolve("x.raw")).doesNotExist();
    }
}

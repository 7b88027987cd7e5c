package org.disklens.image.vhdx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log replay in memory. qemu-io leaves no log behind (it flushes each entry and clears the log GUID before it exits),
 * so the tests write pending entries themselves ({@link LogBuilder}) into images qemu-img made, and hold DiskLens's
 * reading of the unreplayed file to qemu's own replay of a copy ({@code qemu-img check -r all} replays and writes).
 */
class VhdxLogReplayTest {
    @TempDir
    static Path dir;
    static Path clean;

    @BeforeAll
    static void makeImage() {
        Qemu.require();
        clean = Qemu.create(dir, "clean.vhdx", "vhdx", "", "64M");
        Qemu.io(dir, "clean.vhdx", "vhdx", "write -P 0x11 0 1M", "write -P 0x22 20M 64k");
    }

    @Test
    void qemuIoLeavesNoLogToReplay() throws IOException {
        try (VhdxImage image = open(clean)) {
            assertThat(image.header().logGuid().isZero()).isTrue();
            assertThat(image.dirty()).isFalse();
        }
    }

    @Test
    void pendingDataAndZeroDescriptorsAreReplayedInMemoryOnly() throws IOException {
        Path logged = copy("pending.vhdx");
        long host = hostOf(logged, 0);
        byte[] sector = filled(0x5a);
        new LogBuilder(logged).entry(0, 1, 0, List.of(LogBuilder.Descriptor.data(host + 4096, sector),
                LogBuilder.Descriptor.zero(host + 8192, 8192))).install();
        String before = Hostile.sha256(logged);

        try (VhdxImage image = open(logged)) {
            assertThat(image.dirty()).isTrue();
            assertThat(guestBytes(image, 4096, 4096)).containsOnly((byte) 0x5a);
            assertThat(guestBytes(image, 8192, 8192)).containsOnly((byte) 0);
            assertThat(guestBytes(image, 16384, 4096)).containsOnly((byte) 0x11);
        }
        assertThat(Files.readAllBytes(logged)).as("the file still holds the old bytes").satisfies(bytes ->
                assertThat(Arrays.copyOfRange(bytes, (int) host + 4096, (int) host + 8192)).containsOnly((byte) 0x11));
        assertThat(Cli.run("info", "--json", logged.toString()).json().get("dirty-flag").asBoolean()).isTrue();
        assertSameAsQemuReplay(logged);
        assertThat(Hostile.sha256(logged)).as("reading never writes").isEqualTo(before);
    }

    /**
     * Two entries in sequence: the second allocates a block past the end of the file through the BAT, and the file grows
     * to the head entry's LastFileOffset rounded up to a MiB (qemu extends only to an unaligned LastFileOffset).
     */
    @Test
    void batUpdatesAndFileExtensionAreReplayed() throws IOException {
        Path logged = copy("extend.vhdx");
        long size = Files.size(logged);
        long newBlock = VhdxBuilder.roundUp(size, VhdxBuilder.MIB);
        long batOffset;
        try (VhdxImage image = open(logged)) {
            batOffset = image.batRegion().fileOffset();
        }
        byte[] batSector = Arrays.copyOfRange(Files.readAllBytes(logged), (int) batOffset, (int) batOffset + 4096);
        ByteBuffer.wrap(batSector).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Bat.entry(Bat.FULLY_PRESENT, newBlock));
        LogBuilder log = new LogBuilder(logged);
        log.entry(0, 1, 0, List.of(LogBuilder.Descriptor.data(newBlock + 12288, filled(0x77))));
        log.entry(8192, 8192, 2, 0, List.of(LogBuilder.Descriptor.data(batOffset, batSector)), size, newBlock + (8 << 20) - 4096);
        log.install();
        String before = Hostile.sha256(logged);

        try (VhdxImage image = open(logged)) {
            long block1 = 8 << 20;
            assertThat(image.map(block1, 4096)).isInstanceOf(Mapping.Data.class);
            assertThat(guestBytes(image, block1 + 12288, 4096)).containsOnly((byte) 0x77);
            assertThat(guestBytes(image, block1, 4096)).containsOnly((byte) 0);
            assertThat(image.source().size()).isEqualTo(newBlock + (8 << 20));
        }
        assertThat(Files.size(logged)).isEqualTo(size);
        assertSameAsQemuReplay(logged);
        assertThat(Hostile.sha256(logged)).isEqualTo(before);
    }

    /** qemu refuses to read the file read-only; a copy replayed by qemu-img check -r all reads as DiskLens reads the original. */
    private static void assertSameAsQemuReplay(Path logged) throws IOException {
        Tools.Result readOnly = Tools.exec(dir, "qemu-img", "info", logged.toString());
        assertThat(readOnly.exitCode()).as("qemu-img sees a log to replay").isNotZero();
        assertThat(readOnly.err()).contains("log that needs to be replayed");
        Path replayed = dir.resolve(logged.getFileName() + ".qemu-replayed.vhdx");
        Files.copy(logged, replayed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Tools.exec(dir, "qemu-img", "check", "-r", "all", replayed.toString());
        Path raw = dir.resolve(logged.getFileName() + ".raw");
        Qemu.img(dir, "convert", "-O", "raw", replayed.toString(), raw.toString());
        Cli.Result same = Cli.run("compare", logged.toString(), raw.toString());
        assertThat(same.out()).as(same.err()).contains("Images are identical.");
        Path ours = dir.resolve(logged.getFileName() + ".ours.raw");
        assertThat(Cli.run("convert", "-O", "raw", logged.toString(), ours.toString()).exitCode()).isZero();
        assertThat(Tools.run(dir, "cmp", ours.toString(), raw.toString())).isEmpty();
    }

    private static Path copy(String name) throws IOException {
        return Files.copy(clean, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static long hostOf(Path file, long guest) throws IOException {
        try (VhdxImage image = open(file)) {
            return ((Mapping.Data) image.map(guest, 4096)).hostOffset();
        }
    }

    static VhdxImage open(Path file) throws IOException {
        return (VhdxImage) new VhdxFormat().open(FileBlockSource.open(file), OpenContext.refuseAll());
    }

    static byte[] guestBytes(VhdxImage image, long guest, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        while (bytes.hasRemaining()) {
            long at = guest + bytes.position();
            Mapping mapping = image.map(at, bytes.remaining());
            int n = (int) mapping.length();
            if (mapping instanceof Mapping.Data data) {
                data.source().read(data.hostOffset(), bytes.slice(bytes.position(), n));
            }
            bytes.position(bytes.position() + n);
        }
        return bytes.array();
    }

    static byte[] filled(int value) {
        byte[] sector = new byte[4096];
        Arrays.fill(sector, (byte) value);
        return sector;
    }
}

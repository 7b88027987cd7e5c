package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.disklens.testing.UdfPokes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile ISOs made from good ones (xorriso, genisoimage -udf): a directory that contains itself, a Rock
 * Ridge continuation area that points at itself, a garbage path table, a partition table that loops, random
 * flips. Each gets a clear one-line error or a sound partial answer, fast, with the input untouched.
 */
class HostileIsoTest {
    @TempDir
    static Path dir;
    static Path rockRidge;
    static Path udf;

    @BeforeAll
    static void makeIsos() throws IOException {
        Tools.require("xorriso", "genisoimage");
        Path tree = Files.createDirectories(dir.resolve("tree/sub/deeper"));
        Files.writeString(tree.resolve("file.txt"), "x".repeat(5000));
        Files.writeString(dir.resolve("tree/top.txt"), "top\n");
        Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-o", "rr.iso", "tree");
        Tools.run(dir, "genisoimage", "-quiet", "-udf", "-o", "udf.iso", "tree");
        rockRidge = dir.resolve("rr.iso");
        udf = dir.resolve("udf.iso");
    }

    @Test
    void aDirectoryThatContainsItselfIsReported() throws IOException {
        Path image = copy(rockRidge, "self.iso");
        long rootLba = rootExtent(image);
        long subRecord = findRecord(image, rootLba, "sub");
        // Point /sub's extent at the root: walking the tree would come back to the root for ever.
        write(image, subRecord + 2, rootLba, 4, ByteOrder.LITTLE_ENDIAN);
        write(image, subRecord + 6, rootLba, 4, ByteOrder.BIG_ENDIAN);
        Hostile.assertRefused(image, "contains itself", "ls", "-R", image.toString());
    }

    /**
     * A UDF bridge disc (genisoimage -udf) damaged on one side: the side that can be read is read, what was read past
     * is a warning, and damage in the UDF tree is reported as {@code udf:}, never {@code iso:}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"iso9660-block-size", "iso9660-no-primary", "udf-anchor", "udf-anchor-and-iso9660-root",
            "udf-loop-behind-a-damaged-iso9660"})
    void aBridgeDiscDamagedOnOneSideReadsTheOther(String variant) throws IOException {
        Path image = copy(udf, "bridge-" + variant + ".iso");
        if (variant.startsWith("iso9660") || variant.endsWith("damaged-iso9660")) {
            boolean noPrimary = variant.equals("iso9660-no-primary");
            // The primary descriptor's type byte, or the low byte of its block size (2048 becomes 2051).
            write(image, 16 * 2048 + (noPrimary ? 0 : 128), noPrimary ? 0x42 : 3, 1, ByteOrder.LITTLE_ENDIAN);
        }
        if (variant.startsWith("udf-anchor")) {
            write(image, 256 * 2048, 0, 4, ByteOrder.LITTLE_ENDIAN);
        }
        if (variant.endsWith("iso9660-root")) {
            write(image, 16 * 2048 + 156 + 2, 0x7ffffff0, 4, ByteOrder.LITTLE_ENDIAN);
        }
        if (variant.startsWith("udf-loop")) {
            UdfPokes.pointIcb(image, UdfPokes.fid(image, "deeper"), UdfPokes.icb(image, UdfPokes.fid(image, "sub")));
        }
        Cli.Result ls = Hostile.runSafely(image, "ls", "-R", image.toString());
        switch (variant) {
            case "iso9660-block-size", "iso9660-no-primary" -> {
                assertThat(ls.exitCode()).as(ls.err()).isZero();
                assertThat(ls.out()).as("UDF names").contains("/sub/deeper/file.txt");
                assertThat(ls.err()).startsWith("disklens: warning: " + image.getFileName() + ": iso: ");
                assertThat(Hostile.runSafely(image, "info", "--json", image.toString()).exitCode()).isZero();
                Path out = dir.resolve("from-" + variant + ".txt");
                assertThat(Hostile.runSafely(image, "extract", image.toString(), "/sub/deeper/file.txt", out.toString())
                        .exitCode()).isZero();
                assertThat(Files.readString(out)).isEqualTo("x".repeat(5000));
            }
            case "udf-anchor" -> {
                assertThat(ls.exitCode()).as(ls.err()).isZero();
                assertThat(ls.out()).as("ISO 9660 names").containsIgnoringCase("/sub/deeper/file.txt");
                assertThat(ls.err()).startsWith("disklens: warning: udf: anchor volume descriptor at block 256: not found");
            }
            case "udf-anchor-and-iso9660-root" -> {
                assertThat(ls.exitCode()).isEqualTo(1);
                assertThat(ls.err()).contains("disklens: warning: udf: anchor volume descriptor at block 256: not found");
            }
            default -> {
                assertThat(ls.exitCode()).isEqualTo(1);
                assertThat(ls.err().strip().lines().toList().getLast())
                        .isEqualTo("disklens: %s: udf: directory /sub/deeper: is already part of the tree (a directory that contains itself)"
                                .formatted(image));
            }
        }
    }

    @Test
    void aContinuationAreaThatLoopsIsBounded() throws IOException {
        Path image = copy(rockRidge, "ce-loop.iso");
        long rootLba = rootExtent(image);
        long record = findRecord(image, rootLba, "top.txt");
        // Append a CE entry to the record's system use area pointing at the same sector, over and over.
        ByteBuffer sector = read(image, rootLba * 2048, 2048);
        int length = Byte.toUnsignedInt(sector.get((int) (record - rootLba * 2048)));
        long suEnd = record + length;
        ByteBuffer ce = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        ce.put((byte) 'C').put((byte) 'E').put((byte) 28).put((byte) 1);
        ce.putInt((int) rootLba).putInt(Integer.reverseBytes((int) rootLba));
        ce.putInt(0).putInt(0).putInt(2048).putInt(Integer.reverseBytes(2048));
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(ce.flip(), suEnd - 28);
        }
        Hostile.runSafely(image, "ls", "-R", image.toString());
    }

    @Test
    void aGarbagePathTableDoesNotMatter() throws IOException {
        Path image = copy(rockRidge, "path-table.iso");
        ByteBuffer primary = read(image, 16 * 2048, 2048);
        long pathTable = Integer.toUnsignedLong(primary.order(ByteOrder.LITTLE_ENDIAN).getInt(140));
        byte[] garbage = new byte[2048];
        new Random(1).nextBytes(garbage);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(garbage), pathTable * 2048);
        }
        Hostile.runSafely(image, "ls", "-R", image.toString());
        Hostile.runSafely(image, "extract", image.toString(), "/top.txt", dir.resolve("top-out.txt").toString());
    }

    @Test
    void aLoopingExtendedPartitionChainEnds() throws IOException {
        Path disk = dir.resolve("ebr-loop.raw");
        Tools.run(dir, "truncate", "-s", "16M", disk.toString());
        Tools.run(dir, "sh", "-c", "printf 'label: dos\\n,4M,83\\n,,5\\n,4M,83\\n,2M,83\\n' | sfdisk -q " + disk);
        // Make the second logical partition's EBR point back at the first one.
        ByteBuffer mbr = read(disk, 0, 512).order(ByteOrder.LITTLE_ENDIAN);
        long extended = Integer.toUnsignedLong(mbr.getInt(446 + 16 + 8)) * 512;
        ByteBuffer first = read(disk, extended, 512).order(ByteOrder.LITTLE_ENDIAN);
        long second = extended + Integer.toUnsignedLong(first.getInt(462 + 8)) * 512;
        write(disk, second + 462 + 8, 0, 4, ByteOrder.LITTLE_ENDIAN);
        write(disk, second + 462 + 4, 5, 1, ByteOrder.LITTLE_ENDIAN);
        Hostile.runSafely(disk, "info", "--json", disk.toString());
    }

    @Test
    void randomByteFlipsInTheMetadataNeverCrashOrHang() throws IOException {
        Random random = new Random(17);
        for (Path good : new Path[] {rockRidge, udf}) {
            byte[] original = Files.readAllBytes(good);
            for (int round = 0; round < 60; round++) {
                byte[] mutated = original.clone();
                for (int i = 0; i < 1 + random.nextInt(12); i++) {
                    int at = 16 * 2048 + random.nextInt(Math.min(original.length - 16 * 2048, 40 * 2048));
                    mutated[at] ^= (byte) (1 << random.nextInt(8));
                }
                Path image = dir.resolve("flip-" + round + "-" + good.getFileName());
                Files.write(image, mutated);
                Hostile.runSafely(image, "ls", "-R", "--json", image.toString());
                Hostile.runSafely(image, "info", "--json", image.toString());
                Hostile.runSafely(image, "extract", image.toString(), "/sub", dir.resolve("out-" + round).toString());
                Files.delete(image);
            }
        }
    }

    private static Path copy(Path good, String name) throws IOException {
        return Files.copy(good, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static long rootExtent(Path image) throws IOException {
        return Integer.toUnsignedLong(read(image, 16 * 2048 + 156 + 2, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    /** The byte offset of the directory record named {@code name} (ISO 9660 identifier, case-insensitive prefix). */
    private static long findRecord(Path image, long directoryLba, String name) throws IOException {
        ByteBuffer sector = read(image, directoryLba * 2048, 2048);
        int at = 0;
        while (at < 2048 && sector.get(at) != 0) {
            int length = Byte.toUnsignedInt(sector.get(at));
            int nameLength = Byte.toUnsignedInt(sector.get(at + 32));
            byte[] raw = new byte[nameLength];
            sector.get(at + 33, raw);
            if (new String(raw).toLowerCase().startsWith(name.toLowerCase().replace(".txt", ""))) {
                return directoryLba * 2048 + at;
            }
            at += length;
        }
        throw new IllegalStateException("no record " + name);
    }

    private static ByteBuffer read(Path image, long at, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, at);
            return buffer.flip();
        }
    }

    private static void write(Path image, long at, long value, int width, ByteOrder order) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(width).order(order);
        if (width == 4) {
            bytes.putInt((int) value);
        } else {
            bytes.put((byte) value);
        }
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(bytes.flip(), at);
        }
    }
}

package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.disklens.image.DiskImage;
import org.disklens.image.OpenContext;
import org.disklens.image.vmdk.VmdkFormat;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * VMDK descriptors with thousands of extent lines: each file is opened once however many lines name it, only as it
 * is read, and never more than a few at a time, so a low open-file limit ({@code ulimit -n 256}) does not matter;
 * more than 4,096 extents are refused. Extent files are made by qemu-img and qemu-io.
 */
class HostileExtentsTest {
    private static final int LOW_LIMIT = 256;
    private static final String HEADER = "# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\n";

    @TempDir
    static Path dir;
    static Path flat;
    static Path sparse;

    @BeforeAll
    static void makeExtentFiles() {
        Qemu.require();
        Qemu.create(dir, "one.vmdk", "vmdk", "subformat=monolithicFlat", "1M");
        Qemu.io(dir, "one.vmdk", "vmdk", "write -P 0x11 0 4k", "write -P 0x22 64k 4k", "write -P 0x33 700k 32k");
        flat = dir.resolve("one-flat.vmdk");
        sparse = Qemu.create(dir, "small-sparse.vmdk", "vmdk", "", "64K");
        Qemu.io(dir, "small-sparse.vmdk", "vmdk", "write -P 0x5a 4k 8k");
    }

    /** 1,500 one-sector extents, all in one flat file: sector i of the disk is sector i of the file. */
    @Test
    void fifteenHundredLinesNamingOneFileReadUnderALowOpenFileLimit() throws IOException {
        Path descriptor = descriptor("one-file.vmdk", "monolithicFlat",
                IntStream.range(0, 1500).mapToObj(i -> "RW 1 FLAT \"one-flat.vmdk\" " + i).toList());
        Path raw = dir.resolve("one-file.raw");
        Cli.Result convert = Hostile.runWithOpenFileLimit(LOW_LIMIT, "convert", "-O", "raw", descriptor.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.readAllBytes(raw)).isEqualTo(java.util.Arrays.copyOf(Files.readAllBytes(flat), 1500 * 512));
        Cli.Result map = Hostile.runWithOpenFileLimit(LOW_LIMIT, "map", "--json", descriptor.toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        Cli.Result info = Hostile.runWithOpenFileLimit(LOW_LIMIT, "info", "--json", descriptor.toString());
        assertThat(info.json().get("format-specific").get("data").get("extents")).hasSize(1500);
    }

    /** 1,500 distinct extent files: more than the limit allows open at once, read one after the other. */
    @Test
    void fifteenHundredDistinctFilesReadUnderALowOpenFileLimit() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("distinct"));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] source = Files.readAllBytes(flat);
        List<String> lines = IntStream.range(0, 1500).mapToObj(i -> "RW 1 FLAT \"part-%04d.bin\" 0".formatted(i)).toList();
        for (int i = 0; i < 1500; i++) {
            byte[] sector = java.util.Arrays.copyOfRange(source, (i % 2048) * 512, (i % 2048) * 512 + 512);
            sector[0] = (byte) i;
            Files.write(folder.resolve("part-%04d.bin".formatted(i)), sector);
            expected.write(sector);
        }
        Path descriptor = Files.writeString(folder.resolve("distinct.vmdk"),
                HEADER + "createType=\"monolithicFlat\"\n" + String.join("\n", lines) + "\n");
        Path raw = dir.resolve("distinct.raw");
        Cli.Result convert = Hostile.runWithOpenFileLimit(LOW_LIMIT, "convert", "-O", "raw", descriptor.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.readAllBytes(raw)).isEqualTo(expected.toByteArray());
        Cli.Result compare = Hostile.runWithOpenFileLimit(LOW_LIMIT, "compare", descriptor.toString(), raw.toString());
        assertThat(compare.out()).as(compare.err()).contains("Images are identical.");
        assertThat(Hostile.runWithOpenFileLimit(LOW_LIMIT, "info", descriptor.toString()).exitCode()).isZero();
    }

    /** 400 sparse extents over one small monolithicSparse file: the same bytes as qemu-img's conversion. */
    @Test
    void fourHundredSparseExtentsOfOneFileConvertAsQemuImgDoes() {
        Path descriptor = descriptor("many-sparse.vmdk", "twoGbMaxExtentSparse",
                IntStream.range(0, 400).mapToObj(i -> "RW 128 SPARSE \"small-sparse.vmdk\"").toList());
        Qemu.img(dir, "convert", "-O", "raw", descriptor.toString(), "many-sparse-qemu.raw");
        Path raw = dir.resolve("many-sparse.raw");
        Cli.Result convert = Hostile.runWithOpenFileLimit(LOW_LIMIT, "convert", "-O", "raw", descriptor.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(raw).hasSameBinaryContentAs(dir.resolve("many-sparse-qemu.raw"));
    }

    /** The driver asks for each distinct extent name once, whatever the number of lines naming it. */
    @Test
    void eachExtentFileIsOpenedOnce() throws IOException {
        List<String> lines = IntStream.range(0, 3000).mapToObj(i -> i % 3 == 2
                ? "RW 128 SPARSE \"small-sparse.vmdk\"" : "RW 1 FLAT \"one-flat.vmdk\" " + i % 2048).toList();
        Path descriptor = descriptor("counted.vmdk", "monolithicFlat", lines);
        Map<String, Integer> opens = new HashMap<>();
        OpenContext counting = (reference, purpose) -> {
            opens.merge(reference, 1, Integer::sum);
            return FileBlockSource.open(dir.resolve(reference));
        };
        try (DiskImage image = new VmdkFormat().open(FileBlockSource.open(descriptor), counting)) {
            assertThat(image.virtualSize()).isEqualTo(2000 * 512L + 1000 * 65536L);
        }
        assertThat(opens).containsExactlyInAnyOrderEntriesOf(Map.of("one-flat.vmdk", 1, "small-sparse.vmdk", 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZERO", "FLAT", "SPARSE"})
    void moreThan4096ExtentsAreRefusedAnd4096Open(String type) {
        String line = switch (type) {
            case "ZERO" -> "RW 1 ZERO";
            case "FLAT" -> "RW 1 FLAT \"one-flat.vmdk\" 0";
            default -> "RW 128 SPARSE \"small-sparse.vmdk\"";
        };
        Path atTheLimit = descriptor("limit-" + type + ".vmdk", "monolithicFlat", java.util.Collections.nCopies(4096, line));
        Cli.Result info = Hostile.runSafely(atTheLimit, "info", "--json", atTheLimit.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        Path beyond = descriptor("beyond-" + type + ".vmdk", "monolithicFlat", java.util.Collections.nCopies(4097, line));
        String why = "vmdk: descriptor line %d at 0x0: more than 4096 extents".formatted(5 + 4097);
        Hostile.assertRefused(beyond, why, "info", beyond.toString());
        Hostile.assertRefused(beyond, why, "map", beyond.toString());
        Hostile.assertRefused(beyond, why, "convert", "-O", "raw", beyond.toString(), dir.resolve("never.raw").toString());
    }

    private static Path descriptor(String name, String createType, List<String> extentLines) {
        try {
            return Files.writeString(dir.resolve(name),
                    HEADER + "createType=\"" + createType + "\"\n" + String.join("\n", extentLines) + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile VMDKs, poked into good ones made by qemu-img: one clear line or a sound answer, fast, input untouched. */
class HostileVmdkTest {
    @TempDir
    static Path dir;
    static Path sparse;
    static Path stream;

    @BeforeAll
    static void makeGoodImages() {
        Qemu.require();
        sparse = Qemu.create(dir, "good.vmdk", "vmdk", "", "64M");
        Qemu.io(dir, "good.vmdk", "vmdk", "write -P 0x11 0 128k", "write -P 0x22 8M 64k");
        Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "good.vmdk", "stream.vmdk");
        stream = dir.resolve("stream.vmdk");
    }

    @Test
    void grainSizeZeroIsRefused() {
        Path image = pokeLittleEndian(sparse, "grain-0.vmdk", 20, 0, 8);
        Hostile.assertRefused(image, "grain size of 0 sectors", "info", image.toString());
    }

    @Test
    void hugeGrainTablesAreRefused() {
        Path image = pokeLittleEndian(sparse, "gtes.vmdk", 44, 0xffffffffL, 4);
        Hostile.assertRefused(image, "4294967295 entries per grain table", "info", image.toString());
    }

    @Test
    void grainDirectoryPastTheEndIsRefused() {
        Path image = pokeLittleEndian(sparse, "gd-far.vmdk", 56, 1L << 40, 8);
        Hostile.assertRefused(image, "grain directory", "map", image.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "../outside.vmdk"})
    void extentsOutsideTheFolderAreRefused(String extent) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("escape"));
        Files.write(dir.resolve("outside.vmdk"), new byte[512]);
        Path descriptor = sub.resolve("escape-" + extent.hashCode() + ".vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\nCID=1\nparentCID=ffffffff\n"
                + "createType=\"monolithicFlat\"\nRW 1 FLAT \"" + extent + "\" 0\n");
        Hostile.assertRefused(descriptor, "outside the image's folder", "info", descriptor.toString());
    }

    @Test
    void aMissingExtentIsNamed() throws IOException {
        Path descriptor = dir.resolve("missing-extent.vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\ncreateType=\"twoGbMaxExtentFlat\"\n"
                + "RW 2048 FLAT \"missing-extent-f001.vmdk\" 0\n");
        Hostile.assertRefused(descriptor, "extent 'missing-extent-f001.vmdk' not found", "info", descriptor.toString());
    }

    @Test
    void aVeryLongDescriptorLineIsRefused() throws IOException {
        Path descriptor = dir.resolve("long-line.vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nddb.comment = \""
                + "a".repeat(200_000) + "\"\n");
        Hostile.assertRefused(descriptor, "exceed the limit", "info", descriptor.toString());
    }

    /**
     * Files that start as a descriptor and then break a limit are VMDKs that are refused, never raw disks: every verb
     * that probes the format says why, and {@code -f raw} still reads the bytes as the user asked.
     */
    @ParameterizedTest
    @ValueSource(strings = {"over-the-size-limit", "version-line-first-over-the-limit", "nul-then-text",
            "descriptor-then-its-flat-data", "control-byte-in-an-extent-line"})
    void aFileThatStartsAsADescriptorIsARefusedVmdk(String variant) throws IOException {
        Path flat = Qemu.create(dir, "probe-flat.vmdk", "vmdk", "subformat=monolithicFlat", "1M");
        Qemu.io(dir, "probe-flat.vmdk", "vmdk", "write -P 0x33 4k 4k");
        String text = Files.readString(flat);
        byte[] bytes = switch (variant) {
            case "over-the-size-limit" -> (text + "#" + "x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.UTF_8);
            case "version-line-first-over-the-limit" -> (text.replace("# Disk DescriptorFile\n", "")
                    + "ddb.comment = \"" + "y".repeat(8000) + "\"\n").repeat(140).getBytes(StandardCharsets.UTF_8);
            case "nul-then-text" -> text.replaceFirst("\n", "\n\0\0").getBytes(StandardCharsets.UTF_8);
            case "descriptor-then-its-flat-data" -> concat(text.getBytes(StandardCharsets.UTF_8),
                    Files.readAllBytes(dir.resolve("probe-flat-flat.vmdk")));
            default -> text.replace("\" 0\n", "\" 0\u0001\n").getBytes(StandardCharsets.UTF_8);
        };
        Path image = dir.resolve("starts-as-descriptor-" + variant + ".vmdk");
        Files.write(image, bytes);
        String why = switch (variant) {
            case "over-the-size-limit", "version-line-first-over-the-limit" -> "vmdk: descriptor at 0x0: a descriptor file of";
            case "control-byte-in-an-extent-line" -> "vmdk: descriptor line 8";
            default -> "vmdk: descriptor at 0x";
        };
        Hostile.assertRefused(image, why, "info", image.toString());
        Hostile.assertRefused(image, why, "map", "--json", image.toString());
        Hostile.assertRefused(image, why, "compare", image.toString(), flat.toString());
        Hostile.assertRefused(image, why, "convert", "-O", "raw", image.toString(), dir.resolve("never.raw").toString());
        assertThat(dir.resolve("never.raw")).doesNotExist();
        Cli.Result raw = Hostile.runSafely(image, "info", "--json", "-f", "raw", image.toString());
        assertThat(raw.json().get("virtual-size").asLong()).isEqualTo(bytes.length);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    @Test
    void anUnsupportedCreateTypeIsRefusedByName() throws IOException {
        Path descriptor = dir.resolve("device.vmdk");
        Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\ncreateType=\"fullDevice\"\nRW 1 FLAT \"/dev/sda\" 0\n");
        Hostile.assertRefused(descriptor, "createType 'fullDevice' is not supported", "info", descriptor.toString());
    }

    @Test
    void aStreamWithoutItsFooterIsRefused() throws IOException {
        // As VMware writes it: the header says "grain directory at the end", and the end is missing.
        Path atEnd = pokeLittleEndian(stream, "gd-at-end.vmdk", 56, -1L, 8);
        Path image = Hostile.truncated(atEnd, "no-footer.vmdk", Files.size(stream) - 1024);
        Hostile.assertRefused(image, "footer", "info", image.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 100, 512, 4096, 65536, 65536 + 2048, 200_000})
    void truncatedFilesGetAClearError(long length) throws IOException {
        for (Path good : new Path[] {sparse, stream}) {
            Path image = Hostile.truncated(good, "cut-" + length + "-" + good.getFileName(), Math.min(length, Files.size(good) - 1));
            for (String command : new String[] {"info", "map", "check"}) {
                Hostile.runSafely(image, command, image.toString());
            }
            Hostile.runSafely(image, "compare", image.toString(), good.toString());
        }
    }

    @Test
    void randomByteFlipsNeverCrashOrHang() throws IOException {
        Random random = new Random(3);
        for (Path good : new Path[] {sparse, stream}) {
            byte[] original = Files.readAllBytes(good);
            for (int round = 0; round < 60; round++) {
                byte[] mutated = original.clone();
                for (int i = 0; i < 1 + random.nextInt(6); i++) {
                    int at = random.nextInt(Math.min(original.length, 96 * 1024));
                    mutated[at] ^= (byte) (1 << random.nextInt(8));
                }
                if (good == stream && random.nextBoolean()) {
                    int at = original.length - 1 - random.nextInt(2048);
                    mutated[at] ^= (byte) (1 << random.nextInt(8));
                }
                Path image = dir.resolve("flip-" + round + "-" + good.getFileName());
                Files.write(image, mutated);
                for (String command : new String[] {"info", "map", "check"}) {
                    Hostile.runSafely(image, command, "--json", image.toString());
                }
                Hostile.runSafely(image, "compare", image.toString(), good.toString());
                Hostile.convertSafely(image);
                Files.delete(image);
            }
        }
    }

    private static Path pokeLittleEndian(Path good, String name, long offset, long value, int width) {
        Path copy = Hostile.poke(good, name, 0, 0x4b, 1);
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
            if (width == 8) {
                bytes.putLong(value);
            } else {
                bytes.putInt((int) value);
            }
            channel.write(bytes.flip(), offset);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return copy;
    }
}

package org.disklens.hostile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
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

package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile qcow2 files, made by poking bytes into good images made by qemu-img (as qemu-iotests 060 does):
 * each gets a clear one-line error or a sound answer, within seconds, with the input untouched.
 */
class HostileQcow2Test {
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void makeGoodImage() {
        Qemu.require();
        good = Qemu.create(dir, "good.qcow2", "qcow2", "", "64M");
        Qemu.io(dir, "good.qcow2", "qcow2", "write -P 0x11 0 128k", "write -z 1M 64k", "write -P 0x22 8M 64k");
    }

    @Test
    void hugeL1SizeIsRefusedByTheLimit() {
        Path image = Hostile.poke(good, "huge-l1.qcow2", 36, 0x7fffffffL, 4);
        Hostile.assertRefused(image, "qcow2: L1 table", "info", image.toString());
    }

    @Test
    void clusterBits63IsRefused() {
        Path image = Hostile.poke(good, "cluster-bits-63.qcow2", 20, 63, 4);
        Hostile.assertRefused(image, "cluster size 2^63", "info", image.toString());
    }

    @Test
    void l1TablePastTheEndOfTheFileIsRefused() {
        Path image = Hostile.poke(good, "l1-past-end.qcow2", 40, 1L << 40, 8);
        Hostile.assertRefused(image, "past the end of the file", "map", image.toString());
    }

    @Test
    void l1EntryPointingPastTheEndIsAClearErrorForMap() throws IOException {
        long l1Offset = header(good).getLong(40);
        Path image = Hostile.poke(good, "l1-entry-past-end.qcow2", l1Offset, 0x10000000000L, 8);
        Hostile.assertRefused(image, "L1 table at 0x%x: entry 0 points past the end of the file".formatted(l1Offset),
                "map", image.toString());
    }

    @Test
    void dataClusterPastTheEndIsMappedButReadingItFails() throws IOException {
        Path image = Hostile.poke(good, "l2-entry-past-end.qcow2", firstL2Offset(good), 0x8000010000000000L, 8);
        Cli.Result map = Hostile.runSafely(image, "map", "--json", image.toString());
        assertThat(map.exitCode()).isZero();
        assertThat(map.json().get(0).get("offset").asLong()).isEqualTo(0x10000000000L);
        Hostile.assertRefused(image, "past the end", "compare", image.toString(), good.toString());
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.err()).contains("exceeding the end of the file");
    }

    @Test
    void hugeRefcountTableIsRefusedByCheck() {
        Path image = Hostile.poke(good, "huge-reftable.qcow2", 56, 0x7fffffffL, 4);
        Hostile.assertRefused(image, "refcount table", "check", image.toString());
    }

    @Test
    void tooManySnapshotsAreRefused() {
        Path image = Hostile.poke(good, "many-snapshots.qcow2", 60, 0x7fffffffL, 4);
        Hostile.assertRefused(image, "snapshots exceed the limit", "info", image.toString());
    }

    @Test
    void unknownIncompatibleFeatureIsRefusedByName() {
        Path image = Hostile.poke(good, "unknown-feature.qcow2", 72, 1L << 40, 8);
        Hostile.assertRefused(image, "unknown incompatible feature bits", "info", image.toString());
    }

    @Test
    void backingFileOutsideTheFolderIsShownButNotFollowed() {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-u", "-b", "/etc/shadow", "-F", "raw", "shadow.qcow2", "64M");
        Path image = dir.resolve("shadow.qcow2");
        Cli.Result info = Hostile.runSafely(image, "info", "--json", image.toString());
        assertThat(info.json().get("backing-filename").asText()).isEqualTo("/etc/shadow");
        Hostile.assertRefused(image, "outside the image's folder", "map", image.toString());
        Hostile.assertRefused(image, "outside the image's folder", "info", "--backing-chain", image.toString());
    }

    @Test
    void backingFileThatIsItselfIsALoop() {
        // qemu-img refuses to make it, so make it point at "self.qcow2" under another name, then rename it.
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-u", "-b", "self.qcow2", "-F", "qcow2", "selx.qcow2", "64M");
        Path image = dir.resolve("self.qcow2");
        dir.resolve("selx.qcow2").toFile().renameTo(image.toFile());
        Hostile.assertRefused(image, "loop", "map", image.toString());
    }

    @Test
    void pseudoProtocolBackingIsNeverFollowed() {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-u", "-b", "json:{\"file.filename\":\"/etc/passwd\"}",
                "-F", "raw", "json.qcow2", "64M");
        Path image = dir.resolve("json.qcow2");
        Hostile.assertRefused(image, "pseudo-path", "map", image.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 3, 71, 104, 400, 65536, 65536 + 8, 196608, 262144 + 100, 327680})
    void truncatedFilesGetAClearError(long length) throws IOException {
        Path image = Hostile.truncated(good, "truncated-" + length + ".qcow2", Math.min(length, Files.size(good) - 1));
        for (String command : new String[] {"info", "map", "check"}) {
            Hostile.runSafely(image, command, image.toString());
        }
        Hostile.runSafely(image, "compare", image.toString(), good.toString());
    }

    /**
     * A refcount table that cannot be read stops only {@code check}, the verb that needs it: {@code map} answers as
     * qemu-img answers for the intact image, {@code compare} and {@code convert} read the guest data; each says what
     * it read past.
     */
    @ParameterizedTest
    @ValueSource(strings = {"huge-table", "table-past-the-end", "table-unaligned", "block-past-the-end", "block-unaligned"})
    void aCorruptRefcountTableIsAWarningForTheVerbsThatDoNotNeedIt(String variant) throws IOException {
        long table = header(good).getLong(48);
        Path image = switch (variant) {
            case "huge-table" -> Hostile.poke(good, "reft-huge.qcow2", 56, 0x7fffffffL, 4);
            case "table-past-the-end" -> Hostile.poke(good, "reft-far.qcow2", 48, 1L << 40, 8);
            case "table-unaligned" -> Hostile.poke(good, "reft-unaligned.qcow2", 48, table + 512, 8);
            case "block-past-the-end" -> Hostile.poke(good, "refblock-far.qcow2", table, 1L << 40, 8);
            default -> Hostile.poke(good, "refblock-unaligned.qcow2", table, 0x10200, 8);
        };
        Cli.Result map = Hostile.runSafely(image, "map", "--json", image.toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        JsonSubset.assertContains(Qemu.map(dir, good.toString()), map.json());
        assertThat(map.err()).startsWith("disklens: warning: " + image.getFileName() + ": qcow2: refcount");
        Cli.Result compare = Hostile.runSafely(image, "compare", image.toString(), good.toString());
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        assertThat(compare.out()).contains("Images are identical.");
        assertThat(compare.err()).contains("disklens: warning: ").contains("refcount");
        Path raw = dir.resolve(variant + ".raw");
        Cli.Result convert = Hostile.runSafely(image, "convert", "-O", "raw", image.toString(), raw.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        Qemu.img(dir, "compare", "-f", "raw", "-F", "qcow2", raw.toString(), good.toString());
        Cli.Result check = Hostile.runSafely(image, "check", image.toString());
        assertThat(check.exitCode()).isIn(1, 2);
        assertThat(check.err()).contains("refcount");
    }

    /** An external data file that resolves to the image itself is refused by name, however it is spelled. */
    @ParameterizedTest
    @ValueSource(strings = {"same-name", "dot-slash", "absolute", "symlink"})
    void aDataFileThatIsTheImageItselfIsRefused(String variant) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("self-data-" + variant));
        Path image = sub.resolve("self.qcow2");
        String named = switch (variant) {
            case "same-name" -> "self.qcow2";
            case "dot-slash" -> "./self.qcow2";
            case "absolute" -> image.toString();
            default -> "link.raw";
        };
        Qemu.img(sub, "create", "-q", "-f", "qcow2", "-o", "data_file=" + named + ",data_file_raw=on", "made.qcow2", "64M");
        Qemu.io(sub, "made.qcow2", "qcow2", "write -P 0x44 32M 64k");
        Files.move(sub.resolve("made.qcow2"), image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        if (variant.equals("symlink")) {
            Files.delete(sub.resolve("link.raw"));
            Files.createSymbolicLink(sub.resolve("link.raw"), image);
        }
        String why = "data file '%s' is the image itself".formatted(named);
        Hostile.assertRefused(image, why, "map", image.toString());
        Hostile.assertRefused(image, why, "compare", image.toString(), good.toString());
        Hostile.assertRefused(image, why, "convert", "-O", "raw", image.toString(), sub.resolve("never.raw").toString());
        assertThat(sub.resolve("never.raw")).doesNotExist();
    }

    /** A file that starts with the magic is a qcow2 cut short, refused by every verb, never a raw disk of 4 bytes. */
    @ParameterizedTest
    @ValueSource(longs = {4, 5, 7, 8, 71})
    void aFileWithTheMagicIsARefusedQcow2HoweverShort(long length) {
        Path image = Hostile.truncated(good, "magic-only-" + length + ".qcow2", length);
        String why = "qcow2: header at 0x0: file of %d bytes is too short for a header".formatted(length);
        Hostile.assertRefused(image, why, "info", image.toString());
        Hostile.assertRefused(image, why, "map", image.toString());
        Hostile.assertRefused(image, why, "compare", image.toString(), good.toString());
        Hostile.assertRefused(image, why, "convert", "-O", "raw", image.toString(), dir.resolve("never.raw").toString());
    }

    /** Byte flips anywhere in the metadata: every command answers or refuses cleanly. */
    @Test
    void randomByteFlipsNeverCrashOrHang() throws IOException {
        Random random = new Random(20261122);
        byte[] original = Files.readAllBytes(good);
        long metadataEnd = Math.min(original.length, 6 * 65536);
        for (int round = 0; round < 120; round++) {
            byte[] mutated = original.clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt((int) metadataEnd);
                mutated[at] ^= (byte) (1 << random.nextInt(8));
            }
            Path image = dir.resolve("flipped-" + round + ".qcow2");
            Files.write(image, mutated);
            for (String command : new String[] {"info", "map", "check"}) {
                Hostile.runSafely(image, command, "--json", image.toString());
            }
            Hostile.runSafely(image, "compare", image.toString(), good.toString());
            Hostile.convertSafely(image);
            Files.delete(image);
        }
    }

    private static ByteBuffer header(Path image) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(112);
            channel.read(header, 0);
            return header.flip();
        }
    }

    private static long firstL2Offset(Path image) throws IOException {
        long l1Offset = header(image).getLong(40);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer entry = ByteBuffer.allocate(8);
            channel.read(entry, l1Offset);
            return entry.flip().getLong() & 0x00fffffffffffe00L;
        }
    }
}

package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.IsoPokes;
import org.disklens.testing.Tools;
import org.disklens.testing.UdfPokes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trees that cannot be copied out: a directory that contains itself (UDF, Rock Ridge, ext4, FAT), one nested deeper
 * than 256 levels, two entries of one directory with the same name. {@code extract} walks them with the walker
 * {@code ls -R} uses, says what {@code ls -R} says, and refuses before anything is written; every error line says
 * what failed and why. Images from xorriso, genisoimage -udf, mkfs.ext4 -d (with debugfs), mkfs.vfat (with mtools),
 * then poked.
 */
class HostileTreesTest {
    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void makeTree() throws IOException {
        Tools.require("xorriso", "genisoimage", "mkfs.ext4", "debugfs");
        tree = Files.createDirectories(dir.resolve("tree/sub/deeper"));
        Files.writeString(tree.resolve("file.txt"), "x".repeat(5000));
        Files.createDirectories(dir.resolve("tree/de"));
        Files.writeString(dir.resolve("tree/de/inside.txt"), "inside\n");
        Files.createSymbolicLink(dir.resolve("tree/dd"), Path.of("sub"));
        Files.writeString(dir.resolve("tree/top.txt"), "top\n");
        tree = dir.resolve("tree");
    }

    @ParameterizedTest
    @ValueSource(strings = {"udf-to-itself", "udf-to-the-root", "rock-ridge-to-the-root", "ext4-link-up", "vfat-cluster-up"})
    void aDirectoryThatContainsItselfIsRefusedBeforeAnythingIsWritten(String variant) throws IOException {
        Path image = switch (variant) {
            case "udf-to-itself" -> {
                Path udf = udf("loop-self.iso");
                UdfPokes.pointIcb(udf, UdfPokes.fid(udf, "deeper"), UdfPokes.icb(udf, UdfPokes.fid(udf, "sub")));
                yield udf;
            }
            case "udf-to-the-root" -> {
                Path udf = udf("loop-root.iso");
                UdfPokes.pointIcb(udf, UdfPokes.fid(udf, "deeper"), UdfPokes.icb(udf, UdfPokes.parentFid(udf, "sub")));
                yield udf;
            }
            case "rock-ridge-to-the-root" -> {
                Path iso = dir.resolve("loop-rr.iso");
                Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-o", iso.toString(), tree.toString());
                long root = IsoPokes.rootExtent(iso);
                long sub = IsoPokes.record(iso, root, "SUB");
                IsoPokes.pointExtent(iso, sub, root);
                yield iso;
            }
            case "ext4-link-up" -> {
                Path ext = ext4("loop.ext4");
                Tools.run(dir, "debugfs", "-w", "-R", "link /sub /sub/deeper/up", ext.toString());
                yield ext;
            }
            default -> {
                Tools.require("mkfs.vfat", "mmd");
                Path fat = dir.resolve("loop.vfat");
                Tools.run(dir, "mkfs.vfat", "-C", fat.toString(), "4096");
                Tools.run(dir, "mmd", "-i", fat.toString(), "::/SUB", "::/SUB/DEEPER");
                // DEEPER's first cluster becomes SUB's: /SUB/DEEPER is /SUB.
                byte[] bytes = Files.readAllBytes(fat);
                int sub = indexOf(bytes, "SUB        ".getBytes(StandardCharsets.US_ASCII));
                int deeper = indexOf(bytes, "DEEPER     ".getBytes(StandardCharsets.US_ASCII));
                bytes[deeper + 26] = bytes[sub + 26];
                bytes[deeper + 27] = bytes[sub + 27];
                Files.write(fat, bytes);
                yield fat;
            }
        };
        String path = variant.startsWith("vfat") ? "/SUB" : variant.startsWith("rock") ? "/" : "/sub";
        Cli.Result listing = Hostile.runSafely(image, "ls", "-R", image.toString(), path);
        assertThat(listing.exitCode()).isEqualTo(1);
        String why = lastLine(listing.err());
        assertThat(why).contains("is already part of the tree (a directory that contains itself)");
        Path out = Files.createDirectories(dir.resolve("out-" + variant));
        Cli.Result extract = Hostile.runSafely(image, "extract", image.toString(), path, out.resolve("copy").toString());
        assertThat(extract.exitCode()).isEqualTo(1);
        assertThat(lastLine(extract.err())).as("the walk ls -R makes, with its words").isEqualTo(why);
        assertThat(listFiles(out)).as("nothing written, not even a temporary folder").isEmpty();
    }

    @Test
    void aTreeDeeperThan256LevelsIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path deep = dir.resolve("deep");
        Path folder = deep;
        for (int level = 0; level < 300; level++) {
            folder = folder.resolve("d");
        }
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("bottom.txt"), "bottom\n");
        Path image = dir.resolve("deep.ext4");
        Tools.run(dir, "mkfs.ext4", "-q", "-d", deep.toString(), image.toString(), "8M");
        Cli.Result listing = Hostile.runSafely(image, "ls", "-R", image.toString());
        assertThat(lastLine(listing.err())).contains("nested deeper than 256 levels");
        Path out = Files.createDirectories(dir.resolve("out-deep"));
        Cli.Result extract = Hostile.runSafely(image, "extract", image.toString(), "/", out.resolve("copy").toString());
        assertThat(lastLine(extract.err())).isEqualTo(lastLine(listing.err()));
        assertThat(listFiles(out)).isEmpty();
    }

    /** A symlink and a directory (or a file and a directory) of one name: the error says which and why. */
    @ParameterizedTest
    @ValueSource(strings = {"rock-ridge", "udf", "ext4"})
    void twoEntriesWithOneNameAreRefusedByName(String variant) throws IOException {
        Path image = switch (variant) {
            case "rock-ridge" -> {
                Path iso = dir.resolve("twins-rr.iso");
                Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-o", iso.toString(), tree.toString());
                replace(iso, "NM\u0007\u0001\u0000de", "NM\u0007\u0001\u0000dd");
                yield iso;
            }
            case "udf" -> {
                Path udf = udf("twins.iso");
                UdfPokes.rename(udf, UdfPokes.fid(udf, "de"), "dd");
                yield udf;
            }
            default -> {
                Path ext = ext4("twins.ext4");
                replace(ext, "\u0002\u0002de", "\u0002\u0002dd"); // name length 2, type directory, name
                yield ext;
            }
        };
        Cli.Result listing = Hostile.runSafely(image, "ls", "--json", image.toString());
        List<String> twins = new java.util.ArrayList<>();
        listing.json().forEach(entry -> {
            if (entry.get("path").asText().equals("/dd")) {
                twins.add(entry.get("type").asText());
            }
        });
        assertThat(twins).as("ls lists both").hasSize(2).contains("dir");
        Path out = Files.createDirectories(dir.resolve("out-twins-" + variant));
        Cli.Result extract = Hostile.runSafely(image, "extract", image.toString(), "/", out.resolve("copy").toString());
        assertThat(extract.exitCode()).isEqualTo(1);
        assertThat(lastLine(extract.err())).endsWith(": directory /: holds two entries named 'dd' (a %s, then a %s): "
                .formatted(twins.get(0), twins.get(1)) + "they cannot both be extracted");
        assertThat(listFiles(out)).isEmpty();
    }

    @Test
    void aDestinationThatCannotBeWrittenIsNamedWithTheReason() throws IOException {
        Path image = ext4("plain.ext4");
        Path missing = dir.resolve("no-such-folder/copy");
        Cli.Result noFolder = Hostile.runSafely(image, "extract", image.toString(), "/top.txt", missing.toString());
        assertThat(lastLine(noFolder.err())).isEqualTo("disklens: %s: %s: no such folder to extract into"
                .formatted(image, missing.getParent()));
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Cli.Result underAFile = Hostile.runSafely(image, "extract", image.toString(), "/top.txt",
                file.resolve("copy").toString());
        assertThat(lastLine(underAFile.err())).isEqualTo("disklens: %s: %s: not a folder, cannot extract into it"
                .formatted(image, file));
    }

    private static Path udf(String name) {
        Tools.run(dir, "genisoimage", "-quiet", "-R", "-udf", "-o", name, tree.toString());
        return dir.resolve(name);
    }

    private static Path ext4(String name) {
        Path image = dir.resolve(name);
        Tools.run(dir, "mkfs.ext4", "-q", "-d", tree.toString(), image.toString(), "4M");
        return image;
    }

    private static void replace(Path image, String from, String to) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        byte[] needle = from.getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(bytes, needle);
        System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, at, needle.length);
        Files.write(image, bytes);
    }

    private static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int at = 0; at + needle.length <= bytes.length; at++) {
            for (int i = 0; i < needle.length; i++) {
                if (bytes[at + i] != needle[i]) {
                    continue outer;
                }
            }
            return at;
        }
        throw new IllegalStateException("not found: " + new String(needle, StandardCharsets.ISO_8859_1));
    }

    private static String lastLine(String text) {
        return text.strip().lines().toList().getLast();
    }

    private static List<Path> listFiles(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

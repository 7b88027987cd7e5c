package org.disklens.content.fat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.Volume;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAT through the command line ({@code ls -R --json}, {@code extract}) on a whole-disk FAT16 image, and the EFI
 * system partition of a GPT disk (sgdisk, then mkfs.vfat --offset) found by the disk layout, against mdir and mcopy.
 */
class FatCliTest {
    /** The EFI system partition: 1 MiB into the disk, 40 MiB long. */
    static final long ESP_START = 1 << 20;
    static final String[] EXTRACTED = {"/big.bin", "/sizes/size 4097.bin", "/sizes/size 0.bin", "/readme.txt",
        "/Ünïcödé file with a rather long name, beyond what 8.3 allows.txt", "/a/b/c/d/e/f/g/h/i/j/k/l/a deep file.txt",
        "/many/1999 entry with a long name.txt"};

    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void makeImages() throws IOException {
        Tools.require("mkfs.vfat", "mcopy", "mdir", "sgdisk");
        tree = FatTrees.make(dir.resolve("tree"), true);
        FatTrees.image(dir, "whole.img", tree, 30_000, "-F", "16", "-n", "WHOLE");
        Tools.run(dir, "truncate", "-s", "64M", "gpt.img");
        Tools.run(dir, "sgdisk", "-n", "1:2048:+40M", "-t", "1:ef00", "-c", "1:EFI system partition", "-n", "2:0:0",
                "-t", "2:8300", "gpt.img");
        Tools.run(dir, "mkfs.vfat", "-F", "32", "-n", "ESP", "--offset", "2048", "gpt.img", "40960");
        List<String> mcopy = new java.util.ArrayList<>(List.of("env", "LC_ALL=C.UTF-8", "mcopy", "-s", "-m", "-i",
                "gpt.img@@" + ESP_START));
        try (var top = Files.list(tree)) {
            top.sorted().forEach(path -> mcopy.add(path.toString()));
        }
        mcopy.add("::");
        Tools.run(dir, mcopy.toArray(String[]::new));
    }

    @Test
    void lsJsonAgreesWithMdirAndTheSourceMtimes() {
        assertListingAgrees("whole.img", "whole.img");
    }

    @Test
    void theEspOfAGptDiskIsListedByTheCommandLine() {
        assertListingAgrees("gpt.img", "gpt.img@@" + ESP_START);
    }

    private static void assertListingAgrees(String image, String mtoolsImage) {
        Cli.Result listing = Cli.run("ls", "-R", "--json", dir.resolve(image).toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        Map<String, Mtools.Listed> ours = new TreeMap<>();
        for (JsonNode entry : listing.json()) {
            String path = entry.get("path").asText();
            Instant mtime = Instant.parse(entry.get("mtime").asText());
            ours.put(path, new Mtools.Listed(entry.get("type").asText(), entry.get("size").asLong(),
                    LocalDateTime.ofInstant(mtime, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)));
            assertThat(entry.has("target")).isFalse();
            if (entry.get("type").asText().equals("file")) {
                assertThat(mtime).as(path).isEqualTo(sourceMtime(path));
            }
        }
        assertThat(ours).isEqualTo(Mtools.mdir(dir, mtoolsImage)).hasSizeGreaterThan(2000);
    }

    private static Instant sourceMtime(String path) {
        try {
            Instant mtime = Files.getLastModifiedTime(tree.resolve(path.substring(1))).toInstant();
            return mtime.minusSeconds(mtime.getEpochSecond() % 2);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void extractWritesWhatMcopyWrites() throws IOException {
        for (String path : EXTRACTED) {
            Path ours = dir.resolve("ours-" + Math.abs(path.hashCode()));
            Path theirs = dir.resolve("mcopy-" + Math.abs(path.hashCode()));
            Cli.Result result = Cli.run("extract", dir.resolve("whole.img").toString(), path, ours.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            Tools.run(dir, "env", "LC_ALL=C.UTF-8", "mcopy", "-n", "-i", "whole.img", "::" + path, theirs.toString());
            assertThat(ours).as(path).hasSameBinaryContentAs(theirs);
        }
    }

    @Test
    void theEspIsFoundByTheDiskLayoutAndReadLikeMcopyReadsIt() throws IOException {
        try (FileBlockSource disk = FileBlockSource.open(dir.resolve("gpt.img"))) {
            List<Volume> volumes = DiskLayout.read(disk);
            assertThat(volumes).hasSize(2);
            Volume esp = volumes.getFirst();
            assertThat(esp.placement().at(0, 1).guestOffset()).isEqualTo(ESP_START);
            assertThat(esp.filesystem().orElseThrow().type()).isEqualTo("vfat");
            assertThat(esp.filesystem().orElseThrow().label()).isEqualTo("ESP");
            assertThat(esp.browsable()).isTrue();
            FileSystem fat = esp.open();
            for (String path : EXTRACTED) {
                FileEntry entry = fat.resolve(path).orElseThrow();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                fat.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
                Path theirs = dir.resolve("esp-mcopy-" + Math.abs(path.hashCode()));
                Tools.run(dir, "env", "LC_ALL=C.UTF-8", "mcopy", "-n", "-i", "gpt.img@@" + ESP_START, "::" + path,
                        theirs.toString());
                assertThat(out.toByteArray()).as(path).isEqualTo(Files.readAllBytes(theirs));
            }
            assertThat(fat.warnings()).isEmpty();
        }
    }
}

package org.disklens.content.ext;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.disklens.content.FileSystem;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Free space against dumpe2fs's "Free blocks:" ranges (in groups with BLOCK_UNINIT too, where libext2fs computes the
 * bitmap as the kernel does), and the command line's ls -R --json and extract against debugfs and the tree.
 */
class ExtFreeSpaceAndCliTest {
    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void makeTree() throws IOException {
        Tools.require("mkfs.ext4", "debugfs", "dumpe2fs");
        tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.write(tree.resolve("a.bin"), new byte[300_000]);
        Files.writeString(tree.resolve("b.txt"), "b\n");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("b.txt"));
        tree = tree.getParent();
    }

    @ParameterizedTest(name = "{0} -b {1} {2}")
    @CsvSource(delimiter = ';', value = {"ext4; 1024; -O ^64bit", "ext4; 4096; -O 64bit", "ext4; 1024; -O bigalloc -C 8192",
            "ext4; 1024; -O ^metadata_csum,uninit_bg",
            "ext4; 1024; -O ^metadata_csum,uninit_bg,^flex_bg", "ext4; 4096; -O meta_bg,^resize_inode", "ext3; 1024; -I 256",
            "ext2; 4096; -I 128", "ext4; 1024; -O sparse_super2 -E num_backup_sb=1"})
    void freeRangesAreDumpe2fsFreeBlocks(String type, int blockSize, String options) throws IOException {
        Path image = ExtImages.mkfs(dir, "free-" + type + blockSize + options.replaceAll("[^A-Za-z0-9]", "_") + ".img",
                type, blockSize, 64, tree, List.of(options.split(" ")));
        List<String> words = List.of(options.split(" "));
        long cluster = words.contains("-C") ? Long.parseLong(words.get(words.indexOf("-C") + 1)) : blockSize;
        List<long[]> expected = new ArrayList<>();
        for (long[] blocks : ExtImages.freeBlocks(image)) {
            long start = blocks[0] * blockSize;
            long length = (blocks[1] - blocks[0]) * blockSize + cluster;
            if (!expected.isEmpty() && expected.getLast()[0] + expected.getLast()[1] == start) {
                expected.getLast()[1] += length;
            } else {
                expected.add(new long[] {start, length});
            }
        }
        List<long[]> actual = new ArrayList<>();
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new ExtType().open(source);
            fs.freeRanges((offset, length) -> actual.add(new long[] {offset, length}), ProgressListener.NONE);
            assertThat(fs.warnings()).isEmpty();
        }
        assertThat(actual).as("free ranges").isNotEmpty();
        assertThat(actual).usingElementComparator((a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void theCommandLineListsAndExtractsAsDebugfsSays() throws IOException {
        Path image = ExtImages.mkfs(dir, "cli.img", "ext4", 4096, 16, tree, List.of());
        Cli.Result listing = Cli.run("ls", "-R", "--json", image.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        List<String> paths = new ArrayList<>();
        listing.json().forEach(entry -> paths.add(entry.get("path").asText()));
        assertThat(paths).containsExactlyInAnyOrder("/lost+found", "/sub", "/sub/a.bin", "/sub/b.txt", "/sub/link");
        Map<String, ExtImages.Stat> stats = ExtImages.stat(image, paths);
        Map<String, String> types = new HashMap<>(Map.of("/lost+found", "dir", "/sub", "dir", "/sub/a.bin", "file",
                "/sub/b.txt", "file", "/sub/link", "symlink"));
        for (JsonNode entry : listing.json()) {
            String path = entry.get("path").asText();
            assertThat(entry.get("type").asText()).isEqualTo(types.get(path));
            assertThat(entry.get("size").asLong()).isEqualTo(stats.get(path).size());
            assertThat(entry.get("mtime").asText()).isEqualTo(stats.get(path).mtime().toString());
            if (path.equals("/sub/link")) {
                assertThat(entry.get("target").asText()).isEqualTo("b.txt");
            }
            if (types.get(path).equals("file")) {
                Path out = dir.resolve("extracted-" + path.replace('/', '_'));
                Cli.Result extracted = Cli.run("extract", image.toString(), path, out.toString());
                assertThat(extracted.exitCode()).as(extracted.err()).isZero();
                assertThat(out).hasSameBinaryContentAs(tree.resolve(path.substring(1)));
            }
        }
    }
}

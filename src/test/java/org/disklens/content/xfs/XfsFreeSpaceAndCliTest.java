package org.disklens.content.xfs;

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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Free space against xfs_db's {@code freesp -d} (less the AG free lists), and the command line's ls -R --json and
 * extract against xfs_db and the protofile's sources.
 */
class XfsFreeSpaceAndCliTest {
    @TempDir
    static Path dir;
    static Path proto;
    static Path sources;

    @BeforeAll
    static void makeProtofile() throws IOException {
        Tools.require("mkfs.xfs", "xfs_db");
        sources = Files.createDirectories(dir.resolve("sources"));
        Files.write(sources.resolve("a.bin"), new byte[300_000]);
        Files.writeString(sources.resolve("b.txt"), "b\n");
        XfsImages.Proto builder = new XfsImages.Proto().directory("sub", "--755")
                .file("a.bin", "--644", 0, 0, sources.resolve("a.bin"))
                .file("b.txt", "--600", 1000, 100, sources.resolve("b.txt"))
                .symlink("link", "b.txt").end();
        for (int i = 0; i < 200; i++) {
            builder.file("f" + i, "--644", 0, 0, sources.resolve(i % 2 == 0 ? "a.bin" : "b.txt"));
        }
        proto = builder.write(dir.resolve("proto"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-m crc=1", "-m crc=0", "-m crc=1 -b size=1024 -d agcount=3", "-m crc=0 -b size=512 -d agcount=2"})
    void freeRangesAreXfsDbFreeExtents(String options) throws IOException {
        Path image = XfsImages.mkfs(dir, "free" + options.replaceAll("[^a-z0-9]", "_") + ".img", proto,
                List.of(options.split(" ")));
        List<long[]> expected = XfsImages.freeRanges(image);
        List<long[]> actual = new ArrayList<>();
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new XfsType().open(source);
            fs.freeRanges((offset, length) -> actual.add(new long[] {offset, length}), ProgressListener.NONE);
            assertThat(fs.warnings()).isEmpty();
        }
        assertThat(actual).as("free ranges").isNotEmpty();
        assertThat(actual).usingElementComparator((a, b) -> a[0] == b[0] && a[1] == b[1] ? 0 : 1)
                .containsExactlyElementsOf(expected);
        Files.delete(image);
    }

    @Test
    void fourThreadsReadingOneFileSystemAtOnceAgreeWithOne() throws Exception {
        Path image = XfsImages.mkfs(dir, "threads.img", proto, List.of());
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new XfsType().open(source);
            Map<String, String> alone = digests(fs);
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<Map<String, String>>> together = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    together.add(pool.submit(() -> digests(fs)));
                }
                for (var result : together) {
                    assertThat(result.get()).isEqualTo(alone);
                }
            } finally {
                pool.shutdown();
            }
            assertThat(alone).hasSize(204);
            assertThat(fs.warnings()).isEmpty();
        }
    }

    /** Each entry's path with the SHA-256 of its bytes (or its type), listing and reading everything. */
    private static Map<String, String> digests(FileSystem fs) throws IOException {
        Map<String, String> digests = new HashMap<>();
        fs.walk(fs.root(), entry -> digests.put(entry.path(), entry.type() == org.disklens.content.FileEntry.Type.FILE
                ? java.util.HexFormat.of().formatHex(sha256(XfsAgreementTest.bytes(fs, entry))) : entry.type().label()),
                ProgressListener.NONE);
        return digests;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCommandLineListsAndExtractsAsXfsDbSays() throws IOException {
        Path image = XfsImages.mkfs(dir, "cli.img", proto, List.of());
        Cli.Result listing = Cli.run("ls", "-R", "--json", image.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        Map<String, JsonNode> byPath = new HashMap<>();
        listing.json().forEach(entry -> byPath.put(entry.get("path").asText(), entry));
        List<String> expected = new ArrayList<>(List.of("/sub", "/sub/a.bin", "/sub/b.txt", "/sub/link"));
        for (int i = 0; i < 200; i++) {
            expected.add("/f" + i);
        }
        assertThat(byPath.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        Map<String, Long> inodes = new HashMap<>();
        for (XfsImages.Listed listed : XfsImages.ls(image, "/")) {
            inodes.put("/" + listed.name(), listed.inode());
        }
        for (XfsImages.Listed listed : XfsImages.ls(image, "/sub")) {
            inodes.put("/sub/" + listed.name(), listed.inode());
        }
        Map<Long, XfsImages.Stat> stats = XfsImages.stat(image, new ArrayList<>(inodes.values()));
        for (String path : expected) {
            JsonNode entry = byPath.get(path);
            XfsImages.Stat stat = stats.get(inodes.get(path));
            String type = switch (stat.mode() & Inode.S_IFMT) {
                case Inode.S_IFDIR -> "dir";
                case Inode.S_IFLNK -> "symlink";
                default -> "file";
            };
            assertThat(entry.get("type").asText()).as(path).isEqualTo(type);
            assertThat(entry.get("size").asLong()).as(path).isEqualTo(stat.size());
            assertThat(entry.get("mtime").asText()).as(path).isEqualTo(stat.mtime().toString());
            if (type.equals("symlink")) {
                assertThat(entry.get("target").asText()).isEqualTo("b.txt");
            }
        }
        for (String path : List.of("/sub/a.bin", "/sub/b.txt", "/f1", "/f198")) {
            Path out = dir.resolve("extracted-" + path.replace('/', '_'));
            Cli.Result extracted = Cli.run("extract", image.toString(), path, out.toString());
            assertThat(extracted.exitCode()).as(extracted.err()).isZero();
            String source = path.equals("/f198") || path.endsWith("a.bin") ? "a.bin" : "b.txt";
            assertThat(out).hasSameBinaryContentAs(sources.resolve(source));
        }
    }
}

package org.disklens.content.iso;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.disklens.testing.Xorriso;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ISOs made by xorriso and genisoimage from one tree (long, deep and non-ASCII names, symlinks; a file over
 * 4 GiB, recorded as several extents, is in {@link IsoMultiExtentTest}), listed and
 * extracted by DiskLens and compared with what xorriso itself lists and extracts.
 */
class IsoAgreementTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeIsos() throws IOException {
        Tools.require("xorriso", "genisoimage");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b/c/d/e/f/g/h/i/j"));
        Files.writeString(tree.resolve("deep.txt"), "deep\n");
        Path root = dir.resolve("tree");
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        Files.writeString(root.resolve("Ünïcödé file with a rather long name, beyond what level 1 allows.txt"),
                "non-ASCII ✓\n", StandardCharsets.UTF_8);
        Files.createSymbolicLink(root.resolve("link"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../hello.txt"));
        byte[] random = new byte[300_000];
        new Random(7).nextBytes(random);
        Files.write(root.resolve("a/random.bin"), random);
        Files.write(root.resolve("a/empty"), new byte[0]);
        Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-J", "-V", "XORRISO", "-o", "xorriso-rr-joliet.iso", "tree");
        Tools.run(dir, "genisoimage", "-quiet", "-R", "-J", "-V", "GENISO", "-o", "genisoimage-rr-joliet.iso", "tree");
        Tools.run(dir, "genisoimage", "-quiet", "-J", "-V", "JOLIET", "-o", "joliet-only.iso", "tree");
        Tools.run(dir, "genisoimage", "-quiet", "-V", "PLAIN", "-o", "plain-level1.iso", "tree");
        Tools.run(dir, "xorriso", "-as", "mkisofs", "-quiet", "-R", "-iso-level", "3", "-V", "LEVEL3", "-o", "xorriso-level3.iso", "tree");
    }

    static Stream<String> isos() {
        return Stream.of("xorriso-rr-joliet.iso", "genisoimage-rr-joliet.iso", "joliet-only.iso", "plain-level1.iso",
                "xorriso-level3.iso");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isos")
    void listingAgreesWithXorriso(String iso) {
        Map<String, Xorriso.Entry> expected = Xorriso.list(dir, iso);
        Cli.Result ours = Cli.run("ls", "-R", "--json", dir.resolve(iso).toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        Map<String, Xorriso.Entry> listed = new TreeMap<>();
        for (JsonNode entry : ours.json()) {
            String type = entry.get("type").asText();
            listed.put(entry.get("path").asText(), new Xorriso.Entry(type, type.equals("file") ? entry.get("size").asLong() : 0,
                    entry.has("target") ? entry.get("target").asText() : null));
        }
        assertThat(listed).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("isos")
    void extractedBytesAgreeWithXorriso(String iso) throws IOException {
        Path theirs = dir.resolve("osirrox-" + iso);
        Tools.run(dir, "xorriso", "-osirrox", "on", "-indev", iso, "-extract", "/", theirs.toString());
        for (Map.Entry<String, Xorriso.Entry> entry : Xorriso.list(dir, iso).entrySet()) {
            if (!entry.getValue().type().equals("file")) {
                continue;
            }
            Path ours = dir.resolve("ours-" + iso + "-" + Math.abs(entry.getKey().hashCode()));
            Cli.Result result = Cli.run("extract", dir.resolve(iso).toString(), entry.getKey(), ours.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(Files.readAllBytes(ours)).as(entry.getKey()).isEqualTo(Files.readAllBytes(theirs.resolve(entry.getKey().substring(1))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xorriso-rr-joliet.iso"})
    void extractingADirectoryWritesTheTreeAndNeverOverwrites(String iso) throws IOException {
        Path target = dir.resolve("extracted-a");
        Cli.Result result = Cli.run("extract", dir.resolve(iso).toString(), "/a", target.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(target.resolve("random.bin")).hasSameBinaryContentAs(dir.resolve("tree/a/random.bin"));
        assertThat(Files.readSymbolicLink(target.resolve("up"))).isEqualTo(Path.of("../hello.txt"));
        assertThat(target.resolve("b/c/d/e/f/g/h/i/j/deep.txt")).hasContent("deep");
        Cli.Result again = Cli.run("extract", dir.resolve(iso).toString(), "/a", target.toString());
        assertThat(again.exitCode()).isZero(); // a folder as DEST receives "a" inside it
        Cli.Result refused = Cli.run("extract", dir.resolve(iso).toString(), "/hello.txt", target.resolve("random.bin").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("exists (use --force to replace it)");
        try (Stream<Path> leftovers = Files.list(dir)) {
            assertThat(leftovers.map(Path::toString)).noneMatch(name -> name.contains("disklens-tmp"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xorriso-rr-joliet.iso", "plain-level1.iso"})
    void infoShowsTheVolume(String iso) {
        Cli.Result info = Cli.run("info", "--json", dir.resolve(iso).toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        JsonNode data = info.json().get("format-specific").get("data");
        assertThat(info.json().get("format").asText()).isEqualTo("iso");
        assertThat(data.get("volume-id").asText()).isEqualTo(iso.startsWith("plain") ? "PLAIN" : "XORRISO");
        assertThat(data.get("block-size").asInt()).isEqualTo(2048);
        assertThat(data.get("extensions").toString()).isEqualTo(iso.startsWith("plain") ? "[]" : "[\"joliet\",\"rock-ridge\"]");
    }
}

package org.disklens.content.udf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * UDF bridge discs made by genisoimage (listed by their UDF names, as DiskLens prefers them) and UDF file
 * systems of every revision mkudffs writes, 1.02 to 2.60 (2.50+ with a metadata partition).
 */
class UdfAgreementTest {
    @TempDir
    Path dir;

    @Test
    void aBridgeDiscIsListedAndExtractedByItsUdfNames() throws IOException {
        Tools.require("genisoimage");
        Path tree = Files.createDirectories(dir.resolve("tree/docs/deeper"));
        Files.writeString(tree.resolve("notes.txt"), "udf notes\n");
        byte[] random = new byte[200_000];
        new Random(11).nextBytes(random);
        Files.write(dir.resolve("tree/docs/random.bin"), random);
        Files.writeString(dir.resolve("tree/readme"), "read me\n");
        Tools.run(dir, "genisoimage", "-quiet", "-udf", "-R", "-J", "-V", "BRIDGE", "-o", "bridge.iso", "tree");

        Cli.Result listing = Cli.run("ls", "-R", "--json", dir.resolve("bridge.iso").toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        Set<String> listed = new TreeSet<>();
        for (JsonNode entry : listing.json()) {
            listed.add(entry.get("type").asText() + " " + entry.get("path").asText());
            if (entry.get("type").asText().equals("file")) {
                Path out = dir.resolve("out-" + listed.size());
                Cli.Result extracted = Cli.run("extract", dir.resolve("bridge.iso").toString(), entry.get("path").asText(), out.toString());
                assertThat(extracted.exitCode()).as(extracted.err()).isZero();
                assertThat(out).hasSameBinaryContentAs(dir.resolve("tree" + entry.get("path").asText()));
            }
        }
        assertThat(listed).containsExactly("dir /docs", "dir /docs/deeper", "file /docs/deeper/notes.txt",
                "file /docs/random.bin", "file /readme");
    }

    @ParameterizedTest(name = "UDF {0} on {1}, {2}-byte blocks")
    @CsvSource({"1.02, hd, 512", "1.50, hd, 2048", "2.01, hd, 512", "2.01, hd, 4096", "2.50, bdr, 2048", "2.60, bdr, 2048"})
    void everyRevisionOpensAndAgreesWithBlkid(String revision, String media, int blockSize) {
        Tools.require("mkudffs", "blkid");
        Path image = dir.resolve("udf-" + revision + ".img");
        Tools.run(dir, "truncate", "-s", "32M", image.toString());
        Tools.run(dir, "mkudffs", "--media-type=" + media, "--udfrev=" + revision, "--blocksize=" + blockSize,
                "--label=REV" + revision.replace(".", ""), image.toString());
        Map<String, String> blkid = new HashMap<>();
        for (String line : Tools.run(dir, "blkid", "-p", "-o", "export", image.toString()).split("\n")) {
            String[] parts = line.split("=", 2);
            if (parts.length == 2) {
                blkid.put(parts[0], parts[1]);
            }
        }
        JsonNode filesystem = Cli.run("info", "--json", image.toString()).json().get("partitions").get(0).get("filesystem");
        assertThat(filesystem.get("type").asText()).isEqualTo("udf");
        assertThat(filesystem.get("label").asText()).isEqualTo(blkid.get("LABEL"));
        assertThat(filesystem.get("uuid").asText()).isEqualTo(blkid.get("UUID"));
        Cli.Result listing = Cli.run("ls", "--json", image.toString());
        assertThat(listing.exitCode()).as(listing.err()).isZero();
        assertThat(listing.json().isArray()).isTrue();
    }
}

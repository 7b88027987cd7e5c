package org.disklens.content.luks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.disklens.crypto.Cryptsetup;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile LUKS2 headers inside a disk, through the commands with the right passphrase: a real volume (cryptsetup
 * luksFormat, PBKDF2, a 256 KiB metadata area so that large JSON fits) whose JSON is edited with both copies'
 * checksums made right, so each value reaches the parser. Every one is one clear line naming LUKS2 and what it
 * refuses, fast, the input untouched; {@code info} still describes the disk when no passphrase is given.
 */
class LuksHostileTest {
    @TempDir
    static Path dir;
    static Path good;
    static String pw;

    @BeforeAll
    static void format() throws IOException {
        Cryptsetup.require();
        Files.writeString(dir.resolve("pw.txt"), "hostile");
        pw = dir.resolve("pw.txt").toString();
        Tools.run(dir, "truncate", "-s", "20M", "good.img");
        Cryptsetup.format(dir, "good.img", "pw.txt", "--type", "luks2", "--pbkdf", "pbkdf2",
                "--pbkdf-force-iterations=1000", "--luks2-metadata-size", "256k", "--luks2-keyslots-size", "1m");
        good = dir.resolve("good.img");
    }

    @Test
    void theGoodVolumeOpens() {
        Cli.Result info = Hostile.runSafely(good, "info", "--json", "-f", "raw", "--passphrase-file", pw, good.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("partitions").get(0).get("luks").get("unlocked").asBoolean()).isTrue();
    }

    @Test
    void aKeyslotAreaPastTheEndOfTheVolume() throws IOException {
        refused(edit("area-past-end.img", json -> slot(json).with("area").put("offset", "1099511627776")),
                "luks2");
    }

    @Test
    void twoToThe31Stripes() throws IOException {
        refused(edit("stripes.img", json -> slot(json).with("af").put("stripes", 1L << 31)), "stripes exceed the limit");
    }

    @Test
    void argon2WantingFourTebibytes() throws IOException {
        refused(edit("argon2-4t.img", json -> {
            ObjectNode kdf = slot(json).with("kdf");
            String salt = kdf.get("salt").asText();
            kdf.removeAll();
            kdf.put("type", "argon2id").put("time", 4).put("memory", 4L << 30).put("cpus", 1).put("salt", salt);
        }), "memory");
    }

    @Test
    void twoToThe31Pbkdf2Iterations() throws IOException {
        refused(edit("pbkdf2-2g.img", json -> slot(json).with("kdf").put("iterations", 1L << 31)), "would run for hours");
    }

    @Test
    void jsonNested10000Deep() throws IOException {
        String text = LuksImages.jsonText(good);
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        Path image = LuksImages.withJsonText(good, "deep.img",
                text.substring(0, text.lastIndexOf('}')) + ",\"deep\":" + deep + "}");
        for (String[] args : new String[][] {{"ls", "-f", "raw", "--passphrase-file", pw, image.toString()},
            {"cat", "-f", "raw", "--passphrase-file", pw, "-m", "0", image.toString(), "/x"}}) {
            Cli.Result result = Hostile.runSafely(image, args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(result.err().strip()).doesNotContain("\n").contains("luks2: JSON area").contains("nest");
        }
        // A header that cannot be read is not a wrong passphrase: info describes the disk and says why.
        Cli.Result info = Hostile.runSafely(image, "info", "--json", "-f", "raw", "--passphrase-file", pw, image.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("partitions").get(0).get("luks").get("volumes").get(0).get("unreadable").asText())
                .contains("luks2: JSON area").contains("nest");
    }

    @Test
    void aHeaderOf100MiBDeclared() throws IOException {
        Path image = dir.resolve("huge.img");
        Files.copy(good, image);
        byte[] size = ByteBuffer.allocate(8).putLong(100L << 20).array();
        LuksImages.write(image, 8, size);
        Cli.Result fallsBack = Hostile.runSafely(image, "info", "--json", "-f", "raw", "--passphrase-file", pw,
                image.toString());
        assertThat(fallsBack.exitCode()).as(fallsBack.err()).isZero();
        assertThat(fallsBack.json().get("partitions").get(0).get("luks").get("unlocked").asBoolean())
                .as("the secondary header copy is used, as cryptsetup does").isTrue();
        LuksImages.write(image, (256 << 10) + 8, size);
        Cli.Result result = Hostile.runSafely(image, "ls", "-f", "raw", "--passphrase-file", pw, image.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).doesNotContain("\n").startsWith("disklens: ").contains("luks2", "4 MiB");
    }

    private static ObjectNode slot(ObjectNode json) {
        return (ObjectNode) json.get("keyslots").get("0");
    }

    private static Path edit(String name, Consumer<ObjectNode> change) throws IOException {
        return LuksImages.editJson(good, name, change);
    }

    /** ls, cat and info --json with the passphrase: exit 1, one line with {@code words}; info without one: exit 0. */
    private static void refused(Path image, String words) {
        for (String[] args : new String[][] {{"ls", "-f", "raw", "--passphrase-file", pw, image.toString()},
            {"cat", "-f", "raw", "--passphrase-file", pw, "-m", "0", image.toString(), "/x"},
            {"info", "--json", "-f", "raw", "--passphrase-file", pw, image.toString()}}) {
            Cli.Result result = Hostile.runSafely(image, args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(1);
            assertThat(result.err().strip()).as(String.join(" ", args)).doesNotContain("\n").startsWith("disklens: ")
                    .containsIgnoringCase(words);
        }
        Cli.Result locked = Hostile.runSafely(image, "info", "--json", "-f", "raw", image.toString());
        assertThat(locked.exitCode()).as(locked.err()).isZero();
    }
}

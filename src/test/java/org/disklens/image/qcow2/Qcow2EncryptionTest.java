package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.crypto.WrongPassphrase;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encrypted qcow2 images made by qemu-img ({@code encrypt.format=luks} with each cipher, mode, IV generator and hash
 * qemu offers for AES, and legacy {@code encrypt.format=aes}), filled through qemu-io's own encryption at unaligned
 * offsets: DiskLens's decrypted {@code convert -O raw} is byte-identical to qemu-img's, {@code compare} finds them
 * identical, {@code map} agrees with qemu-img's keyed map; without a passphrase, or with a wrong one, one line and exit
 * 1, and nothing written.
 */
class Qcow2EncryptionTest {
    @TempDir
    static Path dir;

    static final String PASSPHRASE = "correct horse";
    static final String SECRET = "secret,id=s0,data=" + PASSPHRASE;

    @BeforeAll
    static void setUp() throws IOException {
        Qemu.require();
        Files.writeString(dir.resolve("pw.txt"), PASSPHRASE + "\n");
        Files.writeString(dir.resolve("wrong.txt"), "battery staple");
    }

    /** name, qemu-img -o options (besides the key secret), cluster size. */
    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("luks-default", "encrypt.format=luks,encrypt.iter-time=10", "64k"),
                Arguments.of("luks-aes128-xts-plain64-sha1", luks("aes-128", "xts", "plain64", "", "sha1"), "64k"),
                Arguments.of("luks-aes256-cbc-essiv-sha256", luks("aes-256", "cbc", "essiv", "sha256", "sha256"), "4k"),
                Arguments.of("luks-aes128-cbc-essiv-sha1", luks("aes-128", "cbc", "essiv", "sha256", "sha1"), "64k"),
                Arguments.of("luks-aes128-cbc-plain64-sha512", luks("aes-128", "cbc", "plain64", "", "sha512"), "512"),
                Arguments.of("luks-aes256-xts-plain-sha256", luks("aes-256", "xts", "plain", "", "sha256"), "64k"),
                Arguments.of("aes-legacy", "encrypt.format=aes", "64k"),
                Arguments.of("aes-legacy-4k", "encrypt.format=aes", "4k"));
    }

    private static String luks(String alg, String mode, String ivgen, String ivHash, String hash) {
        return "encrypt.format=luks,encrypt.iter-time=10,encrypt.cipher-alg=%s,encrypt.cipher-mode=%s,encrypt.ivgen-alg=%s%s,encrypt.hash-alg=%s"
                .formatted(alg, mode, ivgen, ivHash.isEmpty() ? "" : ",encrypt.ivgen-hash-alg=" + ivHash, hash);
    }

    private static Path make(String name, String options, String clusterSize) {
        Path image = dir.resolve(name + ".qcow2");
        if (Files.exists(image)) {
            return image;
        }
        createRetrying(image, "create", "-q", "-f", "qcow2", "--object", SECRET, "-o",
                options + ",encrypt.key-secret=s0,cluster_size=" + clusterSize, image.getFileName().toString(), "8M");
        Tools.run(dir, "qemu-io", "--object", SECRET, "--image-opts", keyed(image),
                "-c", "write -P 0x61 1000 70000", "-c", "write -P 0x62 1M 4k", "-c", "write -z 2M 64k",
                "-c", "write -P 0x63 3000001 123456", "-c", "write -P 0x64 8388096 512");
        return image;
    }

    private static String keyed(Path image) {
        return "driver=qcow2,file.filename=%s,encrypt.key-secret=s0".formatted(image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void decryptedConvertIsQemuImgs(String name, String options, String clusterSize) throws IOException {
        Path image = make(name, options, clusterSize);
        Path expected = dir.resolve(name + ".qemu.raw");
        Qemu.img(dir, "convert", "--object", SECRET, "--image-opts", keyed(image), "-O", "raw", expected.toString());
        Path ours = dir.resolve(name + ".ours.raw");
        Cli.Result convert = Cli.run("convert", "--passphrase-file", dir.resolve("pw.txt").toString(), "-O", "raw",
                image.toString(), ours.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.mismatch(ours, expected)).isEqualTo(-1);

        Cli.Result compare = Cli.run("compare", "--passphrase-file", dir.resolve("pw.txt").toString(),
                image.toString(), expected.toString());
        assertThat(compare.out()).as(compare.err()).contains("Images are identical.");
        assertThat(compare.exitCode()).isZero();
        Files.delete(ours);
        Files.delete(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void mapCheckAndInfoAgreeWithQemuImgsKeyedAnswers(String name, String options, String clusterSize) {
        Path image = make(name, options, clusterSize);
        JsonNode map = Cli.parse(Qemu.img(dir, "map", "--output=json", "--object", SECRET, "--image-opts", keyed(image)));
        Cli.Result ours = Cli.run("map", "--json", image.toString());
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(map, ours.json());

        Cli.Result human = Cli.run("map", image.toString());
        assertThat(human.out()).contains("encrypted");

        Cli.Result check = Cli.run("check", "--json", image.toString());
        assertThat(check.exitCode()).as(check.err()).isZero();

        JsonNode info = Qemu.info(dir, image.toString());
        Cli.Result ourInfo = Cli.run("info", "--json", "--passphrase-file", dir.resolve("pw.txt").toString(),
                image.toString());
        assertThat(ourInfo.exitCode()).as(ourInfo.err()).isZero();
        JsonSubset.assertContains(info, ourInfo.json());
        assertThat(ourInfo.json().get("format-specific").get("data").get("encrypt").get("format").asText())
                .isEqualTo(options.contains("luks") ? "luks" : "aes");
    }

    @Test
    void withoutAPassphraseTheDataIsRefusedInOneLineAndNothingIsWritten() {
        Path image = make("luks-default", "encrypt.format=luks,encrypt.iter-time=10", "64k");
        Path target = dir.resolve("locked.raw");
        Cli.Result convert = Cli.run("convert", "-O", "raw", image.toString(), target.toString());
        assertThat(convert.exitCode()).isEqualTo(1);
        assertThat(convert.err().strip()).isEqualTo("disklens: %s: qcow2: encryption (luks): locked: give "
                .formatted(image) + "--passphrase-file to read the data");
        assertThat(target).doesNotExist();

        Path legacy = make("aes-legacy", "encrypt.format=aes", "64k");
        Cli.Result aes = Cli.run("convert", "-O", "raw", legacy.toString(), target.toString());
        assertThat(aes.exitCode()).isEqualTo(1);
        assertThat(aes.err().strip()).endsWith("qcow2: encryption (aes): locked: give --passphrase-file to read the data");
        assertThat(target).doesNotExist();

        // What is not encrypted is still shown.
        Cli.Result info = Cli.run("info", "--json", image.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("encrypted").asBoolean()).isTrue();
        assertThat(Cli.run("map", "--json", image.toString()).exitCode()).isZero();
        assertThat(Cli.run("check", image.toString()).exitCode()).isZero();
    }

    @Test
    void aWrongPassphraseIsOneLineAndExit1() {
        Path image = make("luks-default", "encrypt.format=luks,encrypt.iter-time=10", "64k");
        Path target = dir.resolve("wrong.raw");
        String wrong = dir.resolve("wrong.txt").toString();
        Cli.Result convert = Cli.run("convert", "--passphrase-file", wrong, "-O", "raw", image.toString(),
                target.toString());
        assertThat(convert.exitCode()).isEqualTo(1);
        assertThat(convert.err().strip()).isEqualTo("disklens: %s: %s".formatted(image, WrongPassphrase.MESSAGE));
        assertThat(target).doesNotExist();
        Cli.Result info = Cli.run("info", "--passphrase-file", wrong, image.toString());
        assertThat(info.exitCode()).isEqualTo(1);
        assertThat(info.err().strip()).isEqualTo("disklens: %s: %s".formatted(image, WrongPassphrase.MESSAGE));
    }

    /** qemu's legacy AES key is the passphrase's first 16 bytes: a longer one decrypts the same as its first 16. */
    @Test
    void legacyAesKeysAreThePassphrasesFirst16Bytes() throws IOException {
        String longer = "0123456789abcdefXYZ";
        Path image = dir.resolve("aes-long.qcow2");
        String secret = "secret,id=s0,data=" + longer;
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "--object", secret, "-o", "encrypt.format=aes,encrypt.key-secret=s0",
                image.getFileName().toString(), "1M");
        Tools.run(dir, "qemu-io", "--object", secret, "--image-opts", keyed(image), "-c", "write -P 0x71 4096 8192");
        Files.writeString(dir.resolve("first16.txt"), longer.substring(0, 16));
        Path expected = dir.resolve("aes-long.qemu.raw");
        Qemu.img(dir, "convert", "--object", secret, "--image-opts", keyed(image), "-O", "raw", expected.toString());
        Path ours = dir.resolve("aes-long.ours.raw");
        Cli.Result convert = Cli.run("convert", "--passphrase-file", dir.resolve("first16.txt").toString(), "-O", "raw",
                image.toString(), ours.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.mismatch(ours, expected)).isEqualTo(-1);
    }

    /**
     * Hostile: key slot 0 of the embedded LUKS header asks for 2^31 stripes. The image still opens and shows its
     * facts; reading its data is refused with the limit, in one line, not an out-of-memory.
     */
    @Test
    void aHostileKeySlotIsRefusedWithItsLimitAndTheRestStillShows() throws IOException {
        Path good = make("luks-default", "encrypt.format=luks,encrypt.iter-time=10", "64k");
        Path hostile = dir.resolve("hostile-stripes.qcow2");
        Files.copy(good, hostile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] bytes = Files.readAllBytes(hostile);
        int header = -1;
        for (int at = 0; at + 6 <= bytes.length && header < 0; at += 512) {
            if (bytes[at] == 'L' && bytes[at + 1] == 'U' && bytes[at + 2] == 'K' && bytes[at + 3] == 'S'
                    && bytes[at + 4] == (byte) 0xba && bytes[at + 5] == (byte) 0xbe) {
                header = at;
            }
        }
        assertThat(header).isPositive();
        try (var channel = java.nio.channels.FileChannel.open(hostile, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(4).putInt(0, 0x8000_0000), header + 208 + 44);
        }
        Cli.Result info = Cli.run("info", "--json", hostile.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("format-specific").get("data").get("encrypt").get("format").asText()).isEqualTo("luks");
        Cli.Result convert = Cli.run("convert", "--passphrase-file", dir.resolve("pw.txt").toString(), "-O", "raw",
                hostile.toString(), dir.resolve("hostile.raw").toString());
        assertThat(convert.exitCode()).isEqualTo(1);
        assertThat(convert.err().strip().lines()).hasSize(1);
        assertThat(convert.err()).contains("stripes exceed the limit");
        assertThat(dir.resolve("hostile.raw")).doesNotExist();
    }

    /** An encrypted overlay on a plain base: the base's data shows through, the overlay's decrypts. */
    @Test
    void anEncryptedOverlayOnAPlainBase() throws IOException {
        Qemu.create(dir, "base.qcow2", "qcow2", "", "4M");
        Qemu.io(dir, "base.qcow2", "qcow2", "write -P 0x41 0 2M");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "--object", SECRET, "-o",
                "encrypt.format=luks,encrypt.iter-time=10,encrypt.key-secret=s0,backing_file=base.qcow2,backing_fmt=qcow2",
                "overlay.qcow2", "4M");
        Tools.run(dir, "qemu-io", "--object", SECRET, "--image-opts", keyed(dir.resolve("overlay.qcow2")),
                "-c", "write -P 0x42 1M 1536k");
        Path expected = dir.resolve("overlay.qemu.raw");
        Qemu.img(dir, "convert", "--object", SECRET, "--image-opts", keyed(dir.resolve("overlay.qcow2")), "-O", "raw",
                expected.toString());
        Cli.Result compare = Cli.run("compare", "--passphrase-file", dir.resolve("pw.txt").toString(),
                dir.resolve("overlay.qcow2").toString(), expected.toString());
        assertThat(compare.out()).as(compare.err()).contains("Images are identical.");
    }

    /**
     * qemu-img calibrates PBKDF2 against the CPU clock; on a loaded machine with a tiny iter-time it sometimes fails with
     * "Unable to get accurate CPU usage". That is qemu's measurement, not the image: try again.
     */
    private static void createRetrying(Path image, String... args) {
        for (int attempt = 1; ; attempt++) {
            try {
                Qemu.img(dir, args);
                return;
            } catch (IllegalStateException flaky) {
                if (attempt == 5 || !String.valueOf(flaky.getMessage()).contains("Unable to get accurate CPU usage")) {
                    throw flaky;
                }
                image.toFile().delete();
            }
        }
    }
}

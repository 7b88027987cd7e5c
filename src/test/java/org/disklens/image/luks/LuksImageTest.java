package org.disklens.image.luks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.crypto.WrongPassphrase;
import org.disklens.io.MemoryBlockSource;
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
 * qemu's {@code luks} images made by {@code qemu-img create -f luks} (qemu's default aes-256-xts-plain64 with sha256, and
 * the other AES ciphers, modes, IVs and hashes it offers), filled by qemu-io through its own encryption: probed as
 * {@code luks}, {@code info} and {@code map} as qemu-img answers them, the decrypted {@code convert -O raw} identical
 * to qemu-img's, {@code compare} identical; locked and wrong passphrases in one line.
 */
class LuksImageTest {
    @TempDir
    static Path dir;

    static final String PASSPHRASE = "open sesame";
    static final String SECRET = "secret,id=s0,data=" + PASSPHRASE;

    @BeforeAll
    static void setUp() throws IOException {
        Qemu.require();
        Files.writeString(dir.resolve("pw.txt"), PASSPHRASE);
        Files.writeString(dir.resolve("wrong.txt"), "close sesame\n");
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("default", "iter-time=10"),
                Arguments.of("aes128-xts-sha1", "iter-time=10,cipher-alg=aes-128,cipher-mode=xts,hash-alg=sha1"),
                Arguments.of("aes256-cbc-essiv", "iter-time=10,cipher-alg=aes-256,cipher-mode=cbc,ivgen-alg=essiv,"
                        + "ivgen-hash-alg=sha256,hash-alg=sha512"),
                Arguments.of("aes128-cbc-plain64", "iter-time=10,cipher-alg=aes-128,cipher-mode=cbc,ivgen-alg=plain64"));
    }

    private static Path make(String name, String options) {
        Path image = dir.resolve(name + ".luks");
        if (!Files.exists(image)) {
            createRetrying(image, "create", "-q", "-f", "luks", "--object", SECRET, "-o", options + ",key-secret=s0",
                    image.getFileName().toString(), "6M");
            Tools.run(dir, "qemu-io", "--object", SECRET, "--image-opts", keyed(image), "-c", "write -P 0x5a 1000 70000",
                    "-c", "write -P 0x5b 3M 512", "-c", "write -z 4M 64k");
        }
        return image;
    }

    private static String keyed(Path image) {
        return "driver=luks,key-secret=s0,file.filename=" + image;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void readsAsQemuImgDoes(String name, String options) throws IOException {
        Path image = make(name, options);
        String pw = dir.resolve("pw.txt").toString();

        JsonNode info = Qemu.info(dir, image.toString());
        Cli.Result ourInfo = Cli.run("info", "--json", "--passphrase-file", pw, image.toString());
        assertThat(ourInfo.exitCode()).as(ourInfo.err()).isZero();
        JsonSubset.assertContains(info, ourInfo.json());
        assertThat(ourInfo.json().get("format").asText()).isEqualTo("luks");

        JsonNode map = Cli.parse(Qemu.img(dir, "map", "--output=json", "--object", SECRET, "--image-opts", keyed(image)));
        Cli.Result ourMap = Cli.run("map", "--json", image.toString());
        assertThat(ourMap.exitCode()).as(ourMap.err()).isZero();
        JsonSubset.assertContains(map, ourMap.json());

        Path expected = dir.resolve(name + ".qemu.raw");
        Qemu.img(dir, "convert", "--object", SECRET, "--image-opts", keyed(image), "-O", "raw", expected.toString());
        Path ours = dir.resolve(name + ".ours.raw");
        Cli.Result convert = Cli.run("convert", "--passphrase-file", pw, "-O", "raw", image.toString(), ours.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();
        assertThat(Files.mismatch(ours, expected)).isEqualTo(-1);

        Cli.Result compare = Cli.run("compare", "--passphrase-file", pw, image.toString(), expected.toString());
        assertThat(compare.out()).as(compare.err()).contains("Images are identical.");
        assertThat(compare.exitCode()).isZero();
    }

    @Test
    void lockedAndWrongPassphrasesAreOneLine() {
        Path image = make("default", "iter-time=10");
        Path target = dir.resolve("out.raw");
        Cli.Result locked = Cli.run("convert", "-O", "raw", image.toString(), target.toString());
        assertThat(locked.exitCode()).isEqualTo(1);
        assertThat(locked.err().strip()).isEqualTo("disklens: %s: luks: encryption: locked: give --passphrase-file to "
                .formatted(image) + "read the data");
        assertThat(target).doesNotExist();

        Cli.Result wrong = Cli.run("convert", "--passphrase-file", dir.resolve("wrong.txt").toString(), "-O", "raw",
                image.toString(), target.toString());
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err().strip()).isEqualTo("disklens: %s: %s".formatted(image, WrongPassphrase.MESSAGE));
        assertThat(target).doesNotExist();

        Cli.Result info = Cli.run("info", "--json", image.toString());
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.json().get("format-specific").get("data").get("cipher-alg").asText()).isEqualTo("aes-256");
    }

    /**
     * Hostile headers (a payload past the end, a key of 17 bytes, 2^31 stripes, 2^32-1 iterations): every one is a
     * one-line refusal (at open, or when the key is asked for), never a stack trace, an out-of-memory or an hours-long
     * derivation; opened in memory without a passphrase they behave as the fuzz target requires.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileHeadersAreRefusedInOneLine(String name, int offset, int value, String said) throws IOException {
        Path good = make("default", "iter-time=10");
        Path bad = dir.resolve("hostile-" + name + ".luks");
        byte[] bytes = Files.readAllBytes(good);
        ByteBuffer.wrap(bytes).putInt(offset, value);
        Files.write(bad, bytes);
        org.disklens.testing.FuzzTarget.exercise(new LuksFormat(), bytes);
        Path target = dir.resolve("hostile-" + name + ".raw");
        Cli.Result convert = Cli.run("convert", "--passphrase-file", dir.resolve("pw.txt").toString(), "-O", "raw",
                bad.toString(), target.toString());
        assertThat(convert.exitCode()).isEqualTo(1);
        assertThat(convert.err().strip().lines()).hasSize(1);
        assertThat(convert.err()).contains(said);
        assertThat(target).doesNotExist();
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("payload-past-end", 104, 0x7fff_ffff, "past the end"),
                Arguments.of("key-17-bytes", 108, 17, "a master key of 17 bytes"),
                Arguments.of("stripes-2-31", 208 + 44, 0x8000_0000, "stripes exceed the limit"),
                Arguments.of("iterations-max", 208 + 4, 0xffff_ffff, "iterations"));
    }

    /** Version 1 is this format; a LUKS2 header (or anything else) is not, so it stays a raw disk for the content layer. */
    @Test
    void probesLuks1Only() throws IOException {
        LuksFormat format = new LuksFormat();
        assertThat(format.probe(new MemoryBlockSource("v1", header(1)))).isEqualTo(100);
        assertThat(format.probe(new MemoryBlockSource("v2", header(2)))).isZero();
        assertThat(format.probe(new MemoryBlockSource("short", new byte[8]))).isZero();
        assertThat(format.probe(new MemoryBlockSource("zero", new byte[4096]))).isZero();
    }

    private static byte[] header(int version) {
        ByteBuffer bytes = ByteBuffer.allocate(4096);
        bytes.put(new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe}).putShort((short) version);
        return bytes.array();
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

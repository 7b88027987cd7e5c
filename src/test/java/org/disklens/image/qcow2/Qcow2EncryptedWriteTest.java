package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code convert -O qcow2 -o encrypt.format=luks --target-passphrase-file}: qemu-img opens the output with the same
 * passphrase (an {@code --object secret}) and finds it identical to the source, {@code qemu-img check} finds it clean,
 * {@code qemu-img info} shows the LUKS header where DiskLens put it, and DiskLens reads it back; refusals in one line.
 */
class Qcow2EncryptedWriteTest {
    @TempDir
    static Path dir;

    static Path source;
    static Path pw;

    @BeforeAll
    static void setUp() throws IOException {
        Qemu.require();
        pw = dir.resolve("pw.txt");
        Files.writeString(pw, "open sesame");
        source = Qemu.create(dir, "source.qcow2", "qcow2", "", "5M");
        Qemu.io(dir, source.toString(), "qcow2", "write -P 0x5a 1000 70000", "write -P 0x5b 3M 512", "write -z 4M 64k");
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("default", "encrypt.format=luks,encrypt.iter-time=10"),
                Arguments.of("aes128-cbc-essiv-4k", "encrypt.format=luks,encrypt.iter-time=10,encrypt.cipher-alg=aes-128,"
                        + "encrypt.cipher-mode=cbc,encrypt.ivgen-alg=essiv,encrypt.hash-alg=sha1,cluster_size=4k"),
                Arguments.of("compat-0.10", "encrypt.format=luks,encrypt.iter-time=10,compat=0.10"));
    }

    private static String keyed(Path image) {
        return "driver=qcow2,file.filename=%s,encrypt.key-secret=s".formatted(image);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void qemuReadsWhatDiskLensEncrypts(String name, String options) {
        Path out = dir.resolve(name + ".qcow2");
        Cli.Result convert = Cli.run("convert", "-O", "qcow2", "-o", options, "--target-passphrase-file", pw.toString(),
                source.toString(), out.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();

        String secret = "secret,id=s,file=" + pw;
        String compare = Tools.run(dir, "qemu-img", "compare", "--object", secret, "--image-opts", keyed(out),
                "driver=qcow2,file.filename=" + source);
        assertThat(compare).contains("Images are identical.");
        Tools.Result check = Tools.exec(dir, "qemu-img", "check", "--object", secret, "--image-opts", keyed(out));
        assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("No errors were found on the image.");

        JsonNode info = Cli.parse(Tools.run(dir, "qemu-img", "info", "--output=json", out.toString()));
        JsonNode encrypt = info.get("format-specific").get("data").get("encrypt");
        assertThat(encrypt.get("format").asText()).isEqualTo("luks");
        assertThat(encrypt.get("slots").get(0).get("active").asBoolean()).isTrue();

        Cli.Result ours = Cli.run("compare", "--passphrase-file", pw.toString(), out.toString(), source.toString());
        assertThat(ours.out()).as(ours.err()).contains("Images are identical.");
        Cli.Result ourCheck = Cli.run("check", out.toString());
        assertThat(ourCheck.exitCode()).as(ourCheck.out() + ourCheck.err()).isZero();
    }

    @Test
    void refusalsAreOneLine() {
        refused(new String[] {"-o", "encrypt.format=luks,encrypt.iter-time=10"}, false,
                "an encrypted output needs a passphrase: give --target-passphrase-file FILE");
        refused(new String[] {"-c", "-o", "encrypt.format=luks,encrypt.iter-time=10"}, true,
                "Compression and encryption not supported at the same time");
        refused(new String[] {"-o", "encrypt.format=luks,encrypt.key-secret=sec0"}, true,
                "give the target passphrase either with --target-passphrase-file or with -o key-secret and --object secret, not both");
        refused(new String[] {"-o", "cluster_size=4k"}, true,
                "--target-passphrase-file is for an encrypted output: -O luks, or -O qcow2 -o encrypt.format=luks");
        refused(new String[] {"-o", "encrypt.format=luks,encrypt.cipher-alg=foo"}, true,
                "Parameter 'encrypt.cipher-alg' does not accept value 'foo'");
    }

    private static void refused(String[] args, boolean withPassphrase, String said) {
        Path out = dir.resolve("refused.qcow2");
        java.util.List<String> line = new java.util.ArrayList<>(java.util.List.of("convert", "-O", "qcow2"));
        line.addAll(java.util.List.of(args));
        if (withPassphrase) {
            line.addAll(java.util.List.of("--target-passphrase-file", pw.toString()));
        }
        line.addAll(java.util.List.of(source.toString(), out.toString()));
        Cli.Result convert = Cli.run(line.toArray(String[]::new));
        assertThat(convert.exitCode()).as(said).isEqualTo(1);
        assertThat(convert.err().strip().lines()).as(said).hasSize(1);
        assertThat(convert.err()).contains(said);
        assertThat(out).doesNotExist();
    }

    /** qemu-img measure's answers here: the LUKS header's clusters added to both sizes. */
    @Test
    void measuresAsQemuImg() {
        Cli.Result luks = Cli.run("measure", "-O", "qcow2", "-o", "encrypt.format=luks", "--size", "1G");
        assertThat(luks.out()).as(luks.err()).contains("required size: 2490368", "fully allocated size: 1076232192");
        Cli.Result aes128 = Cli.run("measure", "-O", "qcow2", "-o", "encrypt.format=luks,encrypt.cipher-alg=aes-128",
                "--size", "1G");
        assertThat(aes128.out()).as(aes128.err()).contains("required size: 1507328");
    }
}

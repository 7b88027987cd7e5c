package org.disklens.image.luks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.crypto.Cryptsetup;
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
 * {@code convert -O luks --target-passphrase-file}: qemu-img (its {@code luks} driver, the same passphrase as a
 * {@code --object secret}) finds the output identical to the source, cryptsetup's luksDump accepts it, DiskLens reads
 * it back; options are refused as qemu-img refuses them, and a missing passphrase in one line with nothing written.
 */
class LuksWriteTest {
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
                Arguments.of("default", "iter-time=10"),
                Arguments.of("aes128-xts-sha1", "iter-time=10,cipher-alg=aes-128,hash-alg=sha1"),
                Arguments.of("aes256-cbc-essiv", "iter-time=10,cipher-mode=cbc,ivgen-alg=essiv,ivgen-hash-alg=sha256,"
                        + "hash-alg=sha512"),
                Arguments.of("aes128-cbc-plain64", "iter-time=10,cipher-alg=aes-128,cipher-mode=cbc,ivgen-alg=plain64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void qemuReadsWhatDiskLensEncrypts(String name, String options) {
        Path out = dir.resolve(name + ".luks");
        Cli.Result convert = Cli.run("convert", "-O", "luks", "-o", options, "--target-passphrase-file", pw.toString(),
                source.toString(), out.toString());
        assertThat(convert.exitCode()).as(convert.err()).isZero();

        String compare = Tools.run(dir, "qemu-img", "compare", "--object", "secret,id=s,file=" + pw, "--image-opts",
                "driver=luks,key-secret=s,file.filename=" + out, "driver=qcow2,file.filename=" + source);
        assertThat(compare).contains("Images are identical.");

        Cryptsetup.require();
        String dump = Cryptsetup.dump(dir, out.toString());
        assertThat(Cryptsetup.field(dump, "Version:")).contains("1");

        Cli.Result ours = Cli.run("compare", "--passphrase-file", pw.toString(), out.toString(), source.toString());
        assertThat(ours.out()).as(ours.err()).contains("Images are identical.");
        assertThat(ours.exitCode()).isZero();
    }

    @Test
    void aPassphraseIsRequiredInOneLine() {
        Path out = dir.resolve("no-passphrase.luks");
        Cli.Result convert = Cli.run("convert", "-O", "luks", "-o", "iter-time=10", source.toString(), out.toString());
        assertThat(convert.exitCode()).isEqualTo(1);
        assertThat(convert.err().strip()).isEqualTo("disklens: %s: %s".formatted(out, LuksConfig.NO_PASSPHRASE));
        assertThat(out).doesNotExist();
    }

    @Test
    void optionsAreRefusedInQemuImgsWords() {
        refused("cipher-alg=foo", "Parameter 'cipher-alg' does not accept value 'foo'");
        refused("hash-alg=md4", "Parameter 'hash-alg' does not accept value 'md4'");
        refused("iter-time=abc", "Parameter 'iter-time' expects a number");
        refused("bogus=1", "Invalid parameter 'bogus'");
        refused("cipher-alg=aes-192", "cipher-alg 'aes-192' is not supported");
        refused("key-secret=sec0", "give the target passphrase either with --target-passphrase-file or with -o "
                + "key-secret and --object secret, not both");
    }

    private static void refused(String options, String said) {
        Path out = dir.resolve("refused.luks");
        Cli.Result convert = Cli.run("convert", "-O", "luks", "-o", options, "--target-passphrase-file", pw.toString(),
                source.toString(), out.toString());
        assertThat(convert.exitCode()).as(options).isEqualTo(1);
        assertThat(convert.err().strip().lines()).as(options).hasSize(1);
        assertThat(convert.err()).as(options).contains(said);
        assertThat(out).doesNotExist();
    }

    /** qemu-img measure's answers here (it needs a key-secret to measure, and calibrates PBKDF2 for nothing). */
    @Test
    void measuresAsQemuImg() {
        Cli.Result aes128 = Cli.run("measure", "-O", "luks", "-o", "cipher-alg=aes-128", "--size", "1G");
        assertThat(aes128.out()).as(aes128.err()).contains("required size: 1074794496", "fully allocated size: 1074794496");
        Cli.Result standard = Cli.run("measure", "-O", "luks", "--size", "1G");
        assertThat(standard.out()).as(standard.err()).contains("required size: " + ((1L << 30) + 4040 * 512));
    }
}

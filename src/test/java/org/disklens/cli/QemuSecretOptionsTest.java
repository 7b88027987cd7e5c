package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qemu-img's own spelling of passphrases, {@code --object secret,…} with {@code --image-opts}: the very same argument
 * lists given to qemu-img and to DiskLens ({@code info}, {@code map --output=json}, {@code compare},
 * {@code convert -O raw}, encrypted {@code convert} targets) on images qemu-img encrypted, with the same answers;
 * a wrong secret, a missing id, other object types and unknown keys refused in one line.
 */
class QemuSecretOptionsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path qcow2;
    static Path luks;

    static final String PASSPHRASE = "open, sesame";
    static final String SECRET = "secret,id=s0,data=open,, sesame";
    static String secretFile;

    @BeforeAll
    static void setUp() throws IOException {
        Qemu.require();
        byte[] bytes = new byte[2 << 20];
        byte[] random = new byte[300_000];
        new Random(19).nextBytes(random);
        System.arraycopy(random, 0, bytes, 65_536, random.length);
        data = Files.write(dir.resolve("data.raw"), bytes);
        Path base64 = Files.writeString(dir.resolve("pw.b64"),
                Base64.getEncoder().encodeToString(PASSPHRASE.getBytes(StandardCharsets.UTF_8)));
        secretFile = "secret,id=k1,file=" + base64 + ",format=base64";
        qcow2 = dir.resolve("enc, qcow2.qcow2");
        luks = dir.resolve("enc.luks");
        qemuRetrying("convert", "-O", "qcow2", "--object", SECRET, "-o",
                "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10", data.toString(), qcow2.toString());
        qemuRetrying("convert", "-O", "luks", "--object", SECRET, "-o", "key-secret=s0,iter-time=10",
                data.toString(), luks.toString());
    }

    private static String qcow2Opts(String secret) {
        return "driver=qcow2,file.filename=" + qcow2.toString().replace(",", ",,") + ",encrypt.key-secret=" + secret;
    }

    private static String luksOpts(String secret) {
        return "driver=luks,key-secret=" + secret + ",file.filename=" + luks;
    }

    @Test
    void answersAsQemuImgDoes() throws IOException {
        for (String opts : new String[] {qcow2Opts("s0"), luksOpts("k1")}) {
            String[] prefix = {"--object", SECRET, "--object", secretFile, "--image-opts", opts};

            Cli.Result info = Cli.run(with("info", "--output=json", prefix));
            assertThat(info.exitCode()).as(info.err()).isZero();
            var qemuInfo = Cli.parse(Qemu.img(dir, with("info", "--output=json", prefix)));
            assertThat(info.json().get("format")).isEqualTo(qemuInfo.get("format"));
            assertThat(info.json().get("virtual-size")).isEqualTo(qemuInfo.get("virtual-size"));
            assertThat(info.json().get("encrypted")).isEqualTo(qemuInfo.get("encrypted"));

            Cli.Result map = Cli.run(with("map", "--output=json", prefix));
            assertThat(map.exitCode()).as(map.err()).isZero();
            JsonSubset.assertContains(Cli.parse(Qemu.img(dir, with("map", "--output=json", prefix))), map.json());

            Path ours = dir.resolve("ours.raw");
            Path theirs = dir.resolve("theirs.raw");
            Files.deleteIfExists(ours);
            Files.deleteIfExists(theirs);
            Cli.Result convert = Cli.run(with("convert", "-O", "raw", prefix, ours.toString()));
            assertThat(convert.exitCode()).as(convert.err()).isZero();
            Qemu.img(dir, with("convert", "-O", "raw", prefix, theirs.toString()));
            assertThat(Files.mismatch(ours, theirs)).isEqualTo(-1);
            assertThat(Files.mismatch(ours, data)).isEqualTo(-1);
        }

        String[] both = {"compare", "--object", SECRET, "--object", secretFile, "--image-opts", qcow2Opts("s0"),
                luksOpts("k1")};
        Cli.Result compare = Cli.run(both);
        assertThat(compare.out()).as(compare.err()).isEqualTo(Qemu.img(dir, both)).contains("Images are identical.");
        assertThat(compare.exitCode()).isZero();
    }

    @Test
    void wrongSecretAndMissingIdAreOneLine() {
        String wrong = "secret,id=s0,data=close sesame";
        for (String[] args : new String[][] {
                {"map", "--output=json", "--object", wrong, "--image-opts", qcow2Opts("s0")},
                {"convert", "-O", "raw", "--object", wrong, "--image-opts", luksOpts("s0"), dir.resolve("x.raw").toString()},
                {"compare", "--object", SECRET, "--object", wrong.replace("s0", "s9"), "--image-opts", qcow2Opts("s0"),
                        luksOpts("s9")},
                {"map", "--output=json", "--object", SECRET, "--image-opts", qcow2Opts("nope")},
                {"info", "--object", SECRET, "--image-opts", luksOpts("nope")},
                {"compare", "--object", SECRET, "--image-opts", qcow2Opts("s0"), luksOpts("nope")}}) {
            Cli.Result ours = Cli.run(args);
            int expected = args[0].equals("compare") ? 2 : 1;
            assertThat(ours.exitCode()).as(ours.err()).isEqualTo(expected);
            assertThat(ours.out()).isEmpty();
            assertThat(ours.err().strip()).doesNotContain("\n").startsWith("disklens: ");
            if (args[args.length - 1].contains("nope") || args[args.length - 2].contains("nope")) {
                assertThat(ours.err()).contains("No secret with id 'nope'");
            } else {
                assertThat(ours.err()).contains("no key slot opens");
            }
            if (!args[0].equals("info")) {
                assertThat(Tools.exec(dir, with("qemu-img", (Object) args)).exitCode()).isEqualTo(expected);
            }
        }
        assertThat(dir.resolve("x.raw")).doesNotExist();
        // compare names the image whose secret is wrong, the second one here
        assertThat(Cli.run("compare", "--object", SECRET, "--object", "secret,id=s9,data=x", "--image-opts",
                qcow2Opts("s0"), luksOpts("s9")).err()).startsWith("disklens: " + luksOpts("s9") + ": ");
    }

    @Test
    void refusesWhatItDoesNotTakeInQemuImgsWords() {
        assertRefused("--object: Parameter 'qom-type' does not accept value 'tls-creds-x509'",
                "info", "--object", "tls-creds-x509,id=t0,dir=/tmp", "--image-opts", qcow2Opts("s0"));
        assertRefused("--object: Parameter 'id' is missing", "info", "--object", "secret,data=x", qcow2.toString());
        assertRefused("--object: Either 'file' or 'data' must be provided", "info", "--object", "secret,id=s1",
                qcow2.toString());
        assertRefused("--object: Parameter 'bogus' is unexpected", "info", "--object", "secret,id=s1,data=x,bogus=1",
                qcow2.toString());
        assertRefused("attempt to add duplicate property 's0'", "info", "--object", SECRET, "--object", SECRET,
                qcow2.toString());
        assertRefused("Block format 'qcow2' does not support the option 'foo'", "info", "--object", SECRET,
                "--image-opts", qcow2Opts("s0") + ",foo=bar");
        assertRefused("Block format 'qcow2' does not support the option 'key-secret'", "info", "--object", SECRET,
                "--image-opts", "driver=qcow2,key-secret=s0,file.filename=" + luks);
        assertRefused("Unknown driver 'bogus'", "info", "--image-opts", "driver=bogus,file.filename=" + luks);
        assertRefused("A block device must be specified for \"file\"", "info", "--image-opts", "driver=luks");
        assertRefused("--image-opts and --format are mutually exclusive", "info", "-f", "qcow2", "--image-opts",
                qcow2Opts("s0"));
    }

    private static void assertRefused(String why, String... args) {
        Cli.Result ours = Cli.run(args);
        assertThat(ours.exitCode()).as(ours.err()).isEqualTo(1);
        assertThat(ours.err().strip()).doesNotContain("\n").startsWith("disklens: ").contains(why);
        Tools.Result qemu = Tools.exec(dir, with("qemu-img", (Object) args));
        assertThat(qemu.exitCode()).isEqualTo(1);
    }

    @Test
    void encryptsTheTargetWithTheSecretItsOptionsName() throws IOException {
        Path outLuks = dir.resolve("out.luks");
        Path outQcow2 = dir.resolve("out.qcow2");
        Cli.Result luksResult = Cli.run("convert", "-O", "luks", "--object", "secret,id=t,data=new one", "-o",
                "key-secret=t,iter-time=10", data.toString(), outLuks.toString());
        assertThat(luksResult.exitCode()).as(luksResult.err()).isZero();
        Cli.Result qcow2Result = Cli.run("convert", "-O", "qcow2", "--object", "secret,id=t,data=new one", "-o",
                "encrypt.format=luks,encrypt.key-secret=t,encrypt.iter-time=10", data.toString(), outQcow2.toString());
        assertThat(qcow2Result.exitCode()).as(qcow2Result.err()).isZero();
        assertThat(Qemu.img(dir, "compare", "--object", "secret,id=t,data=new one", "--image-opts",
                "driver=luks,key-secret=t,file.filename=" + outLuks, "driver=raw,file.filename=" + data))
                .contains("Images are identical.");
        assertThat(Qemu.img(dir, "compare", "--object", "secret,id=t,data=new one", "--image-opts",
                "driver=qcow2,encrypt.key-secret=t,file.filename=" + outQcow2, "driver=raw,file.filename=" + data))
                .contains("Images are identical.");

        Cli.Result measure = Cli.run("measure", "--output=json", "-O", "luks", "--object", "secret,id=t,data=new one",
                "-o", "key-secret=t,iter-time=10", data.toString());
        assertThat(measure.exitCode()).as(measure.err()).isZero();
        assertThat(measure.json().get("required").asLong()).isPositive();

        Cli.Result missing = Cli.run("convert", "-O", "luks", "-o", "key-secret=t,iter-time=10", data.toString(),
                dir.resolve("never.luks").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("No secret with id 't'");
        assertThat(dir.resolve("never.luks")).doesNotExist();
    }

    /** The strings and string arrays given, flattened into one argument list. */
    private static String[] with(Object... parts) {
        java.util.List<String> all = new java.util.ArrayList<>();
        for (Object part : parts) {
            if (part instanceof String[] many) {
                all.addAll(java.util.List.of(many));
            } else {
                all.add((String) part);
            }
        }
        return all.toArray(String[]::new);
    }

    /** qemu-img's PBKDF2 calibration sometimes fails on a loaded machine with a tiny iter-time: try again. */
    private static void qemuRetrying(String... args) {
        for (int attempt = 1; ; attempt++) {
            try {
                Qemu.img(dir, args);
                return;
            } catch (IllegalStateException flaky) {
                if (attempt == 5 || !String.valueOf(flaky.getMessage()).contains("Unable to get accurate CPU usage")) {
                    throw flaky;
                }
                new java.io.File(args[args.length - 1]).delete();
            }
        }
    }
}

package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flags scripts pass to qemu-img that mean nothing different for DiskLens (-U, -W, -t, -T) are accepted, so the
 * same command line works with either tool; a cache mode qemu-img would refuse is refused the same way.
 */
class QemuImgFlagsTest {
    @TempDir
    static Path dir;
    static Path image;

    @BeforeAll
    static void makeImage() {
        Qemu.require();
        image = Qemu.create(dir, "disk.qcow2", "qcow2", "", "4M");
        Qemu.io(dir, image.toString(), "qcow2", "write -P 0x41 64k 128k");
    }

    @Test
    void forceShareChangesNothingInWhatIsShown() {
        Cli.Result plain = Cli.run("info", "--json", image.toString());
        Cli.Result shared = Cli.run("info", "-U", "--json", image.toString());
        assertThat(shared.exitCode()).as(shared.err()).isZero();
        assertThat(shared.out()).isEqualTo(plain.out());
        assertThat(Cli.run("map", "--force-share", image.toString()).out()).isEqualTo(Cli.run("map", image.toString()).out());
        assertThat(Cli.run("check", "-U", "-T", "none", image.toString()).exitCode()).isZero();
        assertThat(Cli.run("compare", "-U", "-T", "writeback", image.toString(), image.toString()).exitCode()).isZero();
    }

    @Test
    void convertAcceptsQemuImgsWriteAndCacheFlags() {
        Path out = dir.resolve("flags.raw");
        Cli.Result result = Cli.run("convert", "-U", "-W", "-t", "none", "-T", "unsafe", "-O", "raw", image.toString(),
                out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", image.toString(), out.toString());
        assertThat(compare.exitCode()).as(compare.out()).isZero();
    }

    @Test
    void actionsThatWouldWriteTheImageAreRefusedByName() {
        String before = Hostile.sha256(image);
        for (String[] command : new String[][] {{"check", "-r", "all"}, {"snapshot", "-c", "s1"}, {"snapshot", "-d", "s1"}}) {
            Cli.Result result = Cli.run(Stream.concat(Stream.of(command), Stream.of(image.toString())).toArray(String[]::new));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("disklens: " + command[1] + ": ").contains("DiskLens never does");
        }
        assertThat(Hostile.sha256(image)).isEqualTo(before);
    }

    @Test
    void compareQuietAnswersWithTheExitCodeAlone() {
        Path other = Qemu.create(dir, "other.qcow2", "qcow2", "", "4M");
        Cli.Result same = Cli.run("compare", "-q", image.toString(), image.toString());
        Cli.Result different = Cli.run("compare", "-q", image.toString(), other.toString());
        assertThat(List.of(same.exitCode(), different.exitCode())).containsExactly(0, 1);
        assertThat(same.out() + different.out() + same.err() + different.err()).isEmpty();
        assertThat(Tools.exec(dir, "qemu-img", "compare", "-q", image.toString(), other.toString()).exitCode()).isEqualTo(1);
    }

    @Test
    void anUnknownCacheModeIsRefusedAsQemuImgRefusesIt() {
        Path out = dir.resolve("refused.raw");
        Cli.Result result = Cli.run("convert", "-t", "bogus", image.toString(), out.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("disklens: Invalid cache option: bogus (see 'disklens convert --help')");
        assertThat(Files.exists(out)).isFalse();
    }
}

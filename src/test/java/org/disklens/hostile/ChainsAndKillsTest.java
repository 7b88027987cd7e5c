package org.disklens.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits that protect against long and hostile chains, and what a hard kill leaves behind: a chain of
 * 200 layers maps as qemu-img maps it; one of 300 is refused clearly; a conversion killed with SIGKILL leaves
 * nothing under the target's name.
 */
class ChainsAndKillsTest {
    @TempDir
    Path dir;

    @Test
    void longChainsMapUpToTheLimitAndAreRefusedBeyondIt() throws IOException {
        Qemu.require();
        Qemu.create(dir, "layer-0.qcow2", "qcow2", "", "16M");
        Qemu.io(dir, "layer-0.qcow2", "qcow2", "write -P 1 0 64k");
        for (int layer = 1; layer < 300; layer++) {
            Qemu.img(dir, "create", "-q", "-f", "qcow2", "-u", "-b", "layer-%d.qcow2".formatted(layer - 1), "-F", "qcow2",
                    "layer-%d.qcow2".formatted(layer), "16M");
        }
        Path within = dir.resolve("layer-199.qcow2");
        Cli.Result map = Hostile.runSafely(within, "map", "--json", within.toString());
        assertThat(map.exitCode()).as(map.err()).isZero();
        assertThat(map.json().get(0).get("depth").asInt()).isEqualTo(Qemu.map(dir, within.toString()).get(0).get("depth").asInt())
                .isEqualTo(199);
        Path beyond = dir.resolve("layer-299.qcow2");
        Hostile.assertRefused(beyond, "backing chain is longer than 256 layers", "map", beyond.toString());
    }

    @Test
    void aConversionKilledHardLeavesNothingUnderTheTargetsName() throws Exception {
        Path source = dir.resolve("big.raw");
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(3);
            for (int i = 0; i < 512; i++) {
                random.nextBytes(chunk);
                channel.write(ByteBuffer.wrap(chunk));
            }
        }
        Path target = dir.resolve("big.qcow2");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "org.disklens.Main", "convert", "-c", "-O", "qcow2",
                source.toString(), target.toString()));
        Process conversion = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!temporaryFileExists() && System.nanoTime() < deadline && conversion.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(conversion.isAlive()).as("the conversion should still be running").isTrue();
        conversion.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(target).doesNotExist();
        Cli.Result again = Cli.run("convert", "-O", "raw", source.toString(), dir.resolve("again.raw").toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
    }

    private boolean temporaryFileExists() throws IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(path -> path.getFileName().toString().contains("disklens-tmp"));
        }
    }
}

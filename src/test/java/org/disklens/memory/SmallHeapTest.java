package org.disklens.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory must not grow with an image's virtual size: info, map and check of a 16 TiB sparse image run in a
 * separate JVM limited to 256 MiB of heap, and map agrees with qemu-img there too.
 */
class SmallHeapTest {
    @TempDir
    Path dir;

    @Test
    void sixteenTebibyteImageRunsIn256MiB() {
        Qemu.require();
        Path image = Qemu.create(dir, "huge.qcow2", "qcow2", "", "16T");
        Qemu.io(dir, "huge.qcow2", "qcow2", "write -P 1 0 64k", "write -P 2 8T 64k", "write -z 12T 1M",
                "write -P 3 16383G 64k");
        for (String command : new String[] {"info", "map", "check"}) {
            Tools.Result result = runWithSmallHeap(command, "--json", image.toString());
            assertThat(result.exitCode()).as(result.err()).isZero();
            if (command.equals("map")) {
                assertThat(Cli.parse(result.out())).isEqualTo(Cli.run("map", "--json", image.toString()).json());
                assertThat(Cli.parse(result.out()).size()).isEqualTo(Qemu.map(dir, image.toString()).size());
            }
        }
    }

    private Tools.Result runWithSmallHeap(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.disklens.Main"));
        command.addAll(List.of(args));
        return Tools.exec(dir, command.toArray(String[]::new));
    }
}

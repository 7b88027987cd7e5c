package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceChannelTest {
    @TempDir
    Path dir;

    @Test
    void aSecondLaunchHandsItsFilesToTheRunningInstance() throws Exception {
        Path socket = dir.resolve("instance.sock");
        LinkedBlockingQueue<List<Path>> received = new LinkedBlockingQueue<>();
        assertThat(InstanceChannel.forwardToRunning(socket, List.of(Path.of("a.qcow2")))).isFalse();
        try (InstanceChannel running = InstanceChannel.listen(socket, received::add)) {
            assertThat(InstanceChannel.forwardToRunning(socket, List.of(dir.resolve("a.qcow2"), dir.resolve("b c.iso")))).isTrue();
            assertThat(received.poll(10, TimeUnit.SECONDS)).containsExactly(dir.resolve("a.qcow2"), dir.resolve("b c.iso"));
            assertThat(InstanceChannel.forwardToRunning(socket, List.of())).isTrue();
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(Files.getPosixFilePermissions(socket)).hasSize(2);
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void aStaleSocketFromADeadInstanceIsReplaced() throws IOException {
        Path socket = dir.resolve("stale.sock");
        Files.writeString(socket, "left behind");
        assertThat(InstanceChannel.forwardToRunning(socket, List.of())).isFalse();
        try (InstanceChannel running = InstanceChannel.listen(socket, files -> { })) {
            assertThat(InstanceChannel.forwardToRunning(socket, List.of())).isTrue();
        }
    }
}

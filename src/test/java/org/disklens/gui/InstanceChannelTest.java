package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void eachDesktopSessionHasItsOwnSocketInTheUsersPrivateRuntimeFolder() throws IOException {
        Map<String, String> session = Map.of("XDG_RUNTIME_DIR", dir.toString(), "DISPLAY", ":0",
                "DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
        Path socket = InstanceChannel.socketFor(session).orElseThrow();

        assertThat(socket.getParent()).isEqualTo(dir.resolve("disklens"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(InstanceChannel.socketFor(session)).contains(socket);
        assertThat(InstanceChannel.socketFor(with(session, "DISPLAY", ":1"))).isPresent().isNotEqualTo(Optional.of(socket));
        assertThat(InstanceChannel.socketFor(with(session, "DISPLAY", ""))).isPresent().isNotEqualTo(Optional.of(socket));
        assertThat(InstanceChannel.socketFor(with(session, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/other")))
                .isPresent().isNotEqualTo(Optional.of(socket));
    }

    @Test
    void aRuntimeFolderOthersCanEnterIsNotUsed() throws IOException {
        Files.createDirectory(dir.resolve("disklens"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir.resolve("disklens"), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(InstanceChannel.socketFor(Map.of("XDG_RUNTIME_DIR", dir.toString(), "DISPLAY", ":0"))).isEmpty();
    }

    private static Map<String, String> with(Map<String, String> environment, String variable, String value) {
        Map<String, String> changed = new HashMap<>(environment);
        changed.put(variable, value);
        return changed;
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

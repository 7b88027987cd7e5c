package org.disklens.gui;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One DiskLens window per user and desktop session: a second launch (a second double-click) hands its files to the
 * running window over a Unix domain socket and exits. The message is the absolute paths, one per line; an empty
 * message just asks the window to come to the front.
 *
 * <p>The socket lives in the user's private runtime folder ({@code $XDG_RUNTIME_DIR/disklens}, mode 0700; else a
 * folder of the user's own, mode 0700, in the temporary folder) and its name is derived from the display and the
 * session bus, so a launch from another display, another session or a terminal without a display never reaches a
 * window it could not see.
 */
public final class InstanceChannel implements AutoCloseable {
    /** What tells desktop sessions apart: a window is shared only by launches that agree on all of these. */
    private static final List<String> SESSION = List.of("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
            "XDG_RUNTIME_DIR");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private InstanceChannel(Path socket, ServerSocketChannel server, Consumer<List<Path>> onFiles) {
        this.socket = socket;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("disklens-instance").start(() -> serve(onFiles));
    }

    /** Where the window of this user and session listens, as {@code environment} describes the session. */
    public static Optional<Path> socketFor(Map<String, String> environment) {
        return privateFolder(environment).map(folder -> folder.resolve("window-" + sessionKey(environment) + ".sock"));
    }

    /** The window of this process's own session. */
    public static Optional<Path> defaultSocket() {
        return socketFor(System.getenv());
    }

    /** A folder only this user can enter, made if need be; empty when none can be had safely. */
    private static Optional<Path> privateFolder(Map<String, String> environment) {
        String runtime = environment.getOrDefault("XDG_RUNTIME_DIR", "");
        Path folder = !runtime.isBlank() && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime, "disklens")
                : Path.of(System.getProperty("java.io.tmpdir"), "disklens-" + System.getProperty("user.name", "user"));
        try {
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            return ownedPrivately(folder) ? Optional.of(folder) : Optional.empty();
        } catch (IOException | UnsupportedOperationException notPossible) {
            // Windows has no such modes, and a folder another user made in /tmp is not ours: no hand-off then.
            return Optional.empty();
        }
    }

    private static boolean ownedPrivately(Path folder) throws IOException {
        return Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                && Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY);
    }

    /** A short name for the session: a digest of the variables that identify it (socket paths must stay short). */
    static String sessionKey(Map<String, String> environment) {
        StringBuilder session = new StringBuilder();
        for (String variable : SESSION) {
            session.append(variable).append('=').append(environment.getOrDefault(variable, "")).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(session.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Sends {@code files} to a running instance; false when none answers (this process should start one). */
    public static boolean forwardToRunning(Path socket, List<Path> files) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            StringBuilder message = new StringBuilder();
            for (Path file : files) {
                message.append(file.toAbsolutePath()).append('\n');
            }
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(message.toString());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return true;
        } catch (IOException nobodyListening) {
            return false;
        }
    }

    /** Becomes the running instance: files sent by later launches go to {@code onFiles} (on a background thread). */
    public static InstanceChannel listen(Path socket, Consumer<List<Path>> onFiles) throws IOException {
        Files.deleteIfExists(socket); // a stale socket from an instance that died; a live one answered above
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the socket lives in the user's own temporary folder.
        }
        return new InstanceChannel(socket, server, onFiles);
    }

    private void serve(Consumer<List<Path>> onFiles) {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                onFiles.accept(read(client));
            } catch (IOException closedOrBroken) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private static List<Path> read(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        StringBuilder text = new StringBuilder();
        while (client.read(buffer) >= 0 && text.length() < (1 << 20)) {
            buffer.flip();
            text.append(StandardCharsets.UTF_8.decode(buffer));
            buffer.clear();
        }
        List<Path> files = new ArrayList<>();
        Arrays.stream(text.toString().split("\n")).filter(line -> !line.isBlank()).forEach(line -> files.add(Path.of(line)));
        return files;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        acceptor.interrupt();
    }
}

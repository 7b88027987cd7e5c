package org.disklens.gui;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One DiskLens window per user: a second launch (a second double-click) hands its files to the running
 * instance over a Unix domain socket in the user's private runtime folder and exits. The message is the
 * absolute paths, one per line; an empty message just asks the window to come to the front.
 */
public final class InstanceChannel implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    private InstanceChannel(Path socket, ServerSocketChannel server, Consumer<List<Path>> onFiles) {
        this.socket = socket;
        this.server = server;
        this.acceptor = Thread.ofPlatform().daemon().name("disklens-instance").start(() -> serve(onFiles));
    }

    /** Where this user's instance listens. */
    public static Path defaultSocket() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path folder = runtime != null && Files.isDirectory(Path.of(runtime)) ? Path.of(runtime)
                : Path.of(System.getProperty("java.io.tmpdir"));
        return folder.resolve("disklens-" + System.getProperty("user.name", "user") + ".sock");
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

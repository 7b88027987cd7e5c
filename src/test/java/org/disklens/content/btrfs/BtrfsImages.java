package org.disklens.content.btrfs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.disklens.testing.Tools;

/**
 * Makes the source trees and Btrfs images the Btrfs tests share: mkfs.btrfs --rootdir (no mount), and btrfs-convert
 * from an ext4 made by mke2fs -d (for what mkfs.btrfs 6.2 cannot make from a tree: holes, a sparse file over 4 GiB,
 * a subvolume).
 */
final class BtrfsImages {
    static final long BIG_SIZE = 5L << 30;
    static final String BIG_TAIL = "the end of a file over 4 GiB\n";

    private BtrfsImages() {
    }

    /**
     * Files of 0, 1, 4095, 4096, 4097 bytes and a few MiB, a deep path, non-ASCII and 255-byte names, short and long
     * symlinks, hard links, a FIFO, a socket, and a directory of 600 entries (a tree of several leaves).
     */
    static Path tree(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("tree"));
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 2048, 2049, 4095, 4096, 4097, 3_000_001}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(root.resolve("size-" + size), bytes);
        }
        Files.writeString(Files.createDirectories(root.resolve("a/b/c/d/e/f/g/h")).resolve("deep.txt"), "deep\n");
        Files.writeString(root.resolve("ünïcødé ✓ name.txt"), "non-ASCII\n");
        Files.writeString(root.resolve("L".repeat(251) + ".txt"), "a 255-byte name\n");
        Files.createSymbolicLink(root.resolve("short-link"), Path.of("a/b/c/d/e/f/g/h/deep.txt"));
        Files.createSymbolicLink(root.resolve("long-link"), Path.of("x".repeat(150) + "/target"));
        Files.createLink(root.resolve("hard-1"), root.resolve("size-1"));
        Files.createLink(root.resolve("a/hard-2"), root.resolve("size-1"));
        Files.createDirectories(root.resolve("empty-dir"));
        Tools.run(root, "mkfifo", "fifo");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
        }
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < 600; i++) {
            Files.writeString(many.resolve("entry-%04d-with-a-longer-name".formatted(i)), Integer.toString(i));
        }
        return root;
    }

    /** A small tree with a sparse file over 4 GiB, holes, a hard link: for btrfs-convert. */
    static Path sparseTree(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("sparse-tree/sub"));
        root = root.getParent();
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big-sparse").toFile(), "rw")) {
            big.write("the start\n".getBytes());
            big.seek(BIG_SIZE - BIG_TAIL.length());
            big.write(BIG_TAIL.getBytes());
        }
        Random random = new Random(7);
        try (RandomAccessFile holes = new RandomAccessFile(root.resolve("holes").toFile(), "rw")) {
            for (int i = 0; i < 12; i++) {
                holes.seek(i * 65536L + 4096);
                byte[] island = new byte[5000 + i];
                random.nextBytes(island);
                holes.write(island);
            }
        }
        byte[] plain = new byte[200_000];
        random.nextBytes(plain);
        Files.write(root.resolve("sub/plain.bin"), plain);
        Files.writeString(root.resolve("small.txt"), "small\n");
        Files.createLink(root.resolve("sub/small-link"), root.resolve("small.txt"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("sub/plain.bin"));
        return root;
    }

    /** {@code mkfs.btrfs -q -f OPTIONS --rootdir tree image} on a fresh sparse file of {@code mib} MiB. */
    static Path mkfs(Path dir, String name, int mib, Path tree, List<String> options) {
        Path image = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", mib + "M", image.toString());
        List<String> command = new ArrayList<>(List.of("mkfs.btrfs", "-q", "-f", "-L", "disklens"));
        command.addAll(options);
        if (tree != null) {
            command.addAll(List.of("--rootdir", tree.toString()));
        }
        command.add(image.toString());
        Tools.run(dir, command.toArray(String[]::new));
        return image;
    }

    /** An ext4 of {@code mib} MiB made by mke2fs -d from {@code tree}, converted in place by btrfs-convert. */
    static Path convert(Path dir, String name, int mib, Path tree, List<String> options) {
        Path image = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", mib + "M", image.toString());
        Tools.run(dir, "mkfs.ext4", "-q", "-F", "-b", "4096", "-I", "256", "-E", "root_owner=0:0", "-d", tree.toString(),
                image.toString());
        List<String> command = new ArrayList<>(List.of("btrfs-convert"));
        command.addAll(options);
        command.add(image.toString());
        Tools.run(dir, command.toArray(String[]::new));
        return image;
    }

    /** {@code btrfs restore -m -S -s}: every file, symlink and subvolume with owner, mode and times. */
    static Path restore(Path image, String name) {
        Path out = image.resolveSibling(name);
        Tools.run(image.getParent(), "mkdir", "-p", out.toString());
        Tools.run(image.getParent(), "btrfs", "restore", "-m", "-S", "-s", image.toString(), out.toString());
        return out;
    }
}

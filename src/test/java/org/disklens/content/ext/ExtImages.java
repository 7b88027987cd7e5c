package org.disklens.content.ext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Tools;

/**
 * Makes the source trees and ext images the ext tests share (mke2fs -d, then debugfs -w for what mke2fs cannot copy
 * from a tree) and reads debugfs's answers about them.
 */
final class ExtImages {
    /** The files whose bytes are known beyond the tree: size of the sparse file over 4 GiB, its tail. */
    static final long BIG_SIZE = 5L << 30;
    static final String BIG_TAIL = "the end of a file over 4 GiB\n";

    private ExtImages() {
    }

    /**
     * A tree with every kind of entry: files of 0, 1, 4095, 4096, 4097 bytes and a few MiB, a sparse file over 4 GiB,
     * a fragmented file (40 separate extents: a tree of depth 1), a deep path, non-ASCII and 255-byte names, fast and
     * slow symlinks, hard links, a FIFO, a socket.
     */
    static Path tree(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("tree"));
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 3_000_001}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Files.write(root.resolve("size-" + size), bytes);
        }
        Files.writeString(Files.createDirectories(root.resolve("a/b/c/d/e/f/g/h")).resolve("deep.txt"), "deep\n");
        Files.writeString(root.resolve("ünïcødé ✓ name.txt"), "non-ASCII\n");
        Files.writeString(root.resolve("L".repeat(251) + ".txt"), "a 255-byte name\n");
        Files.createSymbolicLink(root.resolve("fast-link"), Path.of("a/b/c/d/e/f/g/h/deep.txt"));
        Files.createSymbolicLink(root.resolve("slow-link"), Path.of("x".repeat(150) + "/target"));
        Files.createLink(root.resolve("hard-1"), root.resolve("size-1"));
        Files.createLink(root.resolve("a/hard-2"), root.resolve("size-1"));
        Tools.run(root, "mkfifo", "fifo");
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
        }
        try (RandomAccessFile big = new RandomAccessFile(root.resolve("big-sparse").toFile(), "rw")) {
            big.write("the start\n".getBytes());
            big.seek(BIG_SIZE - BIG_TAIL.length());
            big.write(BIG_TAIL.getBytes());
        }
        try (RandomAccessFile fragmented = new RandomAccessFile(root.resolve("fragmented").toFile(), "rw")) {
            for (int i = 0; i < 40; i++) {
                fragmented.seek(i * 16384L);
                byte[] island = new byte[1000 + i];
                random.nextBytes(island);
                fragmented.write(island);
            }
        }
        Path small = Files.createDirectories(root.resolve("small-dir"));
        Files.writeString(small.resolve("tiny"), "tiny\n");
        Files.writeString(root.resolve("inline-sized.txt"), "x".repeat(200));
        return root;
    }

    /** The same tree with a directory of 3,000 entries (an htree), in a copy beside it. */
    static Path treeWithManyEntries(Path tree) throws IOException {
        Path copy = tree.resolveSibling(tree.getFileName() + "-many");
        Tools.run(tree.getParent(), "cp", "-a", tree.toString(), copy.toString());
        Path many = Files.createDirectories(copy.resolve("many"));
        for (int i = 0; i < 3000; i++) {
            Files.writeString(many.resolve("entry-%04d-with-a-longer-name".formatted(i)), Integer.toString(i));
        }
        return copy;
    }

    /** {@code mkfs.TYPE -q -F -b BLOCK OPTIONS -d tree image} on a fresh {@code mib} MiB file. */
    static Path mkfs(Path dir, String name, String type, int blockSize, int mib, Path tree, List<String> options) {
        Path image = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", mib + "M", image.toString());
        List<String> command = new ArrayList<>(List.of("mkfs." + type, "-q", "-F", "-b", Integer.toString(blockSize),
                "-L", "disklens", "-E", "root_owner=0:0"));
        command.addAll(options);
        command.addAll(List.of("-d", tree.toString(), image.toString()));
        Tools.run(dir, command.toArray(String[]::new));
        return image;
    }

    /** Runs debugfs commands in one process ({@code -w} to write); returns what it printed. */
    static String debugfs(Path image, boolean write, List<String> commands) throws IOException {
        Path script = Files.createTempFile(image.getParent(), "debugfs", ".txt");
        Files.write(script, commands);
        String out = write ? Tools.run(image.getParent(), "debugfs", "-w", "-f", script.toString(), image.toString())
                : Tools.run(image.getParent(), "debugfs", "-f", script.toString(), image.toString());
        Files.delete(script);
        return out;
    }

    /** What debugfs's stat says of an inode. */
    record Stat(long inode, int mode, long uid, long gid, long links, long size, Instant mtime) {
    }

    private static final Pattern INODE = Pattern.compile("Inode: (\\d+)\\s+Type: .+?\\s+Mode:\\s+(\\d+)");
    private static final Pattern OWNER = Pattern.compile("User:\\s*(\\d+)\\s+Group:\\s*(\\d+)(?:\\s+Project:\\s*\\d+)?\\s+Size: (\\d+)");
    private static final Pattern LINKS = Pattern.compile("Links: (\\d+)");
    private static final Pattern MTIME = Pattern.compile("\\bmtime: 0x([0-9a-f]+)(?::([0-9a-f]+))?");

    /** debugfs stat of each path, in one run. */
    static Map<String, Stat> stat(Path image, List<String> paths) throws IOException {
        List<String> commands = paths.stream().map(path -> "stat \"" + path + "\"").toList();
        String[] parts = debugfs(image, false, commands).split("debugfs: stat \"");
        Map<String, Stat> stats = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            String path = part.substring(0, part.indexOf('"'));
            Matcher inode = INODE.matcher(part);
            Matcher owner = OWNER.matcher(part);
            Matcher links = LINKS.matcher(part);
            Matcher mtime = MTIME.matcher(part);
            if (inode.find() && owner.find() && links.find() && mtime.find()) {
                stats.put(path, new Stat(Long.parseLong(inode.group(1)), Integer.parseInt(inode.group(2), 8),
                        Long.parseLong(owner.group(1)), Long.parseLong(owner.group(2)), Long.parseLong(links.group(1)),
                        Long.parseLong(owner.group(3)), time(mtime.group(1), mtime.group(2))));
            }
        }
        return stats;
    }

    /** The kernel's decoding: signed 32-bit seconds, plus the extra field's epoch bits and nanoseconds. */
    private static Instant time(String seconds, String extra) {
        long value = (int) Long.parseLong(seconds, 16);
        if (extra == null) {
            return Instant.ofEpochSecond(value);
        }
        long bits = Long.parseLong(extra, 16);
        return Instant.ofEpochSecond(value + ((bits & 3) << 32), bits >>> 2);
    }

    /** Names in a directory as debugfs's {@code ls -p} lists them (on-disk order), without "." and "..". */
    static List<String> names(Path image, String directory) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : debugfs(image, false, List.of("ls -p \"" + directory + "\"")).split("\n")) {
            if (!line.startsWith("/") || !line.endsWith("/")) {
                continue;
            }
            String[] fields = line.substring(1, line.length() - 1).split("/", 5);
            String rest = fields[4];
            String name = rest.substring(0, rest.lastIndexOf('/'));
            if (!name.equals(".") && !name.equals("..")) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * dumpe2fs's free block ranges, as [first block, last block] pairs; under bigalloc the last is the first block of
     * the last free cluster.
     */
    static List<long[]> freeBlocks(Path image) {
        List<long[]> ranges = new ArrayList<>();
        for (String line : Tools.run(image.getParent(), "dumpe2fs", image.toString()).split("\n")) {
            String trimmed = line.strip();
            // Group lines are indented; the unindented header line is the count.
            if (!line.startsWith(" ") || !trimmed.startsWith("Free blocks: ")) {
                continue;
            }
            for (String range : trimmed.substring("Free blocks: ".length()).split(",\\s*")) {
                if (range.isBlank()) {
                    continue;
                }
                String[] ends = range.strip().split("-");
                long first = Long.parseLong(ends[0]);
                ranges.add(new long[] {first, ends.length > 1 ? Long.parseLong(ends[1]) : first});
            }
        }
        return ranges;
    }
}

package org.disklens.content.btrfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
import org.disklens.content.FileSystem;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Btrfs made by mkfs.btrfs --rootdir from one tree (profiles, node sizes, the four checksum types,
 * mixed block groups) and by btrfs-convert from an ext4 (holes with and without NO_HOLES, a sparse file over 4 GiB,
 * a subvolume). Each listing must agree with the source tree and with btrfs restore -m -S -s (names, types, sizes,
 * link targets, every byte, mode, owner, mtime) and with dump-tree (DIR_INDEX order, inode numbers, mode, owner,
 * links, size, mtime with nanoseconds), with no warning.
 */
class BtrfsAgreementTest {
    @TempDir
    static Path dir;
    static Path tree;

    @BeforeAll
    static void makeTree() throws IOException {
        Tools.require("mkfs.btrfs", "btrfs", "mkfifo");
        tree = BtrfsImages.tree(dir);
        Tools.run(tree, "chown", "1234:5678", "size-4095");
        Tools.run(tree, "chmod", "0741", "size-4096");
        Tools.run(tree, "touch", "-h", "-d", "2001-02-03 04:05:06.5", "short-link");
        Tools.run(tree, "touch", "-d", "1969-07-20 20:17:40", "size-2048");
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(List.of()),
                Arguments.of(List.of("-m", "single", "-d", "single", "--csum", "xxhash", "-n", "4096")),
                Arguments.of(List.of("-m", "dup", "--csum", "sha256", "-n", "65536")),
                Arguments.of(List.of("--csum", "blake2", "-n", "32768")),
                Arguments.of(List.of("-M", "-O", "^no-holes,^skinny-metadata")));
    }

    @ParameterizedTest(name = "mkfs.btrfs {0}")
    @MethodSource("layouts")
    void listingAndBytesAgreeWithRestoreAndDumpTree(List<String> options) throws IOException {
        String name = ("mkfs" + String.join("", options)).replaceAll("[^A-Za-z0-9-]", "_") + ".img";
        Path image = BtrfsImages.mkfs(dir, name, 256, tree, options);
        Path restored = BtrfsImages.restore(image, name + ".restored");
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new BtrfsType().open(source);
            assertThat(fs.naming()).isEqualTo("btrfs");
            Map<String, FileEntry> listed = walk(fs);
            List<String> expected = new ArrayList<>();
            try (Stream<Path> paths = Files.walk(tree)) {
                paths.filter(path -> !path.equals(tree)).forEach(path -> expected.add("/" + tree.relativize(path)));
            }
            assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            for (String path : expected) {
                assertAgreesWithSource(fs, listed.get(path), tree.resolve(path.substring(1)));
                assertAgreesWithRestore(listed.get(path), restored.resolve(path.substring(1)));
            }
            assertAgreesWithDumpTree(fs, DumpTree.of(image, "fs"), fs.root(), List.copyOf(listed.values()));
            assertThat(fs.warnings()).isEmpty();
        }
        Tools.run(dir, "rm", "-rf", image.toString(), restored.toString());
    }

    @Test
    void convertedExt4WithHolesAndASubvolumeAgrees() throws IOException {
        Tools.require("btrfs-convert", "mkfs.ext4");
        Path sparse = BtrfsImages.sparseTree(dir);
        for (List<String> options : List.of(List.<String>of(), List.of("-O", "^no-holes"))) {
            String name = "convert" + String.join("", options).replaceAll("[^A-Za-z0-9-]", "_") + ".img";
            Path image = BtrfsImages.convert(dir, name, 160, sparse, options);
            Path restored = BtrfsImages.restore(image, name + ".restored");
            try (FileBlockSource source = FileBlockSource.open(image)) {
                FileSystem fs = new BtrfsType().open(source);
                Map<String, FileEntry> listed = walk(fs);
                assertThat(listed.keySet()).containsExactlyInAnyOrder("/lost+found", "/sub", "/sub/plain.bin",
                        "/sub/small-link", "/big-sparse", "/holes", "/small.txt", "/link", "/ext2_saved",
                        "/ext2_saved/image");
                for (String path : List.of("/sub/plain.bin", "/sub/small-link", "/holes", "/small.txt", "/link")) {
                    assertAgreesWithSource(fs, listed.get(path), sparse.resolve(path.substring(1)));
                }
                for (FileEntry entry : listed.values()) {
                    assertAgreesWithRestore(entry, restored.resolve(entry.path().substring(1)));
                }
                assertBigSparseFile(fs, listed.get("/big-sparse"));
                assertThat(fs.map(listed.get("/holes"), 0, 4096)).isEqualTo(new Mapping.Zero(4096));
                // The subvolume: a folder where its ROOT_REF names it, its own inode numbers, its own node.
                FileEntry saved = listed.get("/ext2_saved");
                assertThat(saved.type()).isEqualTo(FileEntry.Type.DIRECTORY);
                assertThat(saved.attributes().inode()).hasValue(256);
                assertThat(saved.node()).isNotEqualTo(fs.root().node());
                assertThat(rootRefs(image)).containsExactly("ext2_saved");
                assertThat(bytes(fs, listed.get("/ext2_saved/image")))
                        .isEqualTo(Files.readAllBytes(restored.resolve("ext2_saved/image")));
                DumpTree top = DumpTree.of(image, "fs");
                assertAgreesWithDumpTree(fs, top, fs.root(), listed.values().stream()
                        .filter(entry -> !entry.path().startsWith("/ext2_saved/")).toList());
                assertAgreesWithDumpTree(fs, DumpTree.of(image, "256"), saved, List.of(listed.get("/ext2_saved/image")));
                assertThat(fs.warnings()).isEmpty();
            }
            Tools.run(dir, "rm", "-rf", image.toString(), restored.toString());
        }
    }

    @Test
    void theDefaultSubvolumeIsTheRoot() throws IOException {
        Tools.require("btrfs-convert", "mkfs.ext4");
        Path sparse = dir.resolve("default-tree");
        Files.createDirectories(sparse.resolve("top"));
        Files.writeString(sparse.resolve("top/file"), "top\n");
        Path image = BtrfsImages.convert(dir, "default-subvolume.img", 160, sparse, List.of());
        // The root tree's "default" DIR_ITEM names subvolume 5; it is made to name ext2_saved (256) instead.
        String[] lines = Tools.run(dir, "btrfs", "inspect-internal", "dump-tree", "-t", "root", image.toString()).split("\n");
        long leaf = -1;
        int slot = -1;
        for (String line : lines) {
            java.util.regex.Matcher header = java.util.regex.Pattern.compile("^leaf (\\d+) items").matcher(line);
            if (header.find()) {
                leaf = Long.parseLong(header.group(1));
            }
            java.util.regex.Matcher item = java.util.regex.Pattern.compile("item (\\d+) key \\(ROOT_TREE_DIR DIR_ITEM")
                    .matcher(line);
            if (item.find()) {
                slot = Integer.parseInt(item.group(1));
                break;
            }
        }
        int dirItem = slot;
        int nodeSize = Integer.parseInt(Tools.run(dir, "btrfs", "inspect-internal", "dump-super", image.toString())
                .replaceAll("(?s).*\nnodesize\\s+(\\d+).*", "$1"));
        Blocks.rewrite(image, DumpTree.chunks(image), leaf, nodeSize, block -> block.putLong(TreeBlock.HEADER
                + block.getInt(TreeBlock.HEADER + dirItem * TreeBlock.ITEM + Key.SIZE), 256));
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new BtrfsType().open(source);
            DumpTree saved = DumpTree.of(image, "256");
            assertThat(fs.list(fs.root()).stream().map(FileEntry::name).toList())
                    .isEqualTo(saved.directories.get(256L).stream().map(DumpTree.Entry::name).toList())
                    .containsExactly("image");
            assertThat(fs.root().node()).isEqualTo((256L << 40) ^ 256);
            assertThat(fs.warnings()).isEmpty();
        }
    }

    /** The names of ROOT_REF items in the root tree, as dump-tree prints them. */
    private static List<String> rootRefs(Path image) {
        List<String> names = new ArrayList<>();
        String[] lines = Tools.run(dir, "btrfs", "inspect-internal", "dump-tree", "-t", "root", image.toString()).split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].contains(" ROOT_REF ")) {
                names.add(lines[i + 1].substring(lines[i + 1].indexOf(" name ") + 6));
            }
        }
        return names;
    }

    static Map<String, FileEntry> walk(FileSystem fs) throws IOException {
        Map<String, FileEntry> listed = new LinkedHashMap<>();
        fs.walk(fs.root(), entry -> listed.put(entry.path(), entry), ProgressListener.NONE);
        return listed;
    }

    static void assertAgreesWithSource(FileSystem fs, FileEntry entry, Path source) throws IOException {
        assertThat(entry).as(source.toString()).isNotNull();
        if (Files.isSymbolicLink(source)) {
            assertThat(entry.type()).isEqualTo(FileEntry.Type.SYMLINK);
            assertThat(entry.target()).contains(Files.readSymbolicLink(source).toString());
            assertThat(entry.size()).isEqualTo(Files.readSymbolicLink(source).toString().length());
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(entry.type()).isEqualTo(FileEntry.Type.DIRECTORY);
        } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            assertThat(entry.type()).isEqualTo(FileEntry.Type.FILE);
            assertThat(entry.size()).isEqualTo(Files.size(source));
            assertThat(bytes(fs, entry)).as(entry.path()).isEqualTo(Files.readAllBytes(source));
        } else {
            assertThat(entry.type()).as(entry.path()).isEqualTo(FileEntry.Type.OTHER);
        }
    }

    /** btrfs restore -m -S writes files, directories and symlinks with the inode's mode, owner and times. */
    static void assertAgreesWithRestore(FileEntry entry, Path restored) throws IOException {
        if (entry.type() == FileEntry.Type.OTHER) {
            return;
        }
        assertThat(Files.exists(restored, LinkOption.NOFOLLOW_LINKS)).as(restored.toString()).isTrue();
        Map<String, Object> unix = Files.readAttributes(restored, "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        switch (entry.type()) {
            case FILE -> {
                assertThat(Files.isRegularFile(restored, LinkOption.NOFOLLOW_LINKS)).isTrue();
                assertThat(unix.get("size")).as(entry.path()).isEqualTo(entry.size());
            }
            case DIRECTORY -> assertThat(Files.isDirectory(restored, LinkOption.NOFOLLOW_LINKS)).isTrue();
            case SYMLINK -> assertThat(Files.readSymbolicLink(restored).toString()).isEqualTo(entry.target().orElseThrow());
            default -> throw new AssertionError(entry.type());
        }
        if (entry.type() != FileEntry.Type.SYMLINK) {
            assertThat(entry.attributes().mode().orElseThrow()).as(entry.path()).isEqualTo((Integer) unix.get("mode") & 07777);
            assertThat(entry.attributes().uid()).as(entry.path()).hasValue((Integer) unix.get("uid"));
            assertThat(entry.attributes().gid()).as(entry.path()).hasValue((Integer) unix.get("gid"));
            FileTime mtime = Files.getLastModifiedTime(restored, LinkOption.NOFOLLOW_LINKS);
            assertThat(entry.modified()).as(entry.path()).contains(mtime.toInstant());
        }
    }

    static void assertAgreesWithDumpTree(FileSystem fs, DumpTree dump, FileEntry top, List<FileEntry> entries)
            throws IOException {
        Set<Long> nodes = new HashSet<>();
        for (FileEntry entry : entries) {
            DumpTree.Inode inode = dump.inodes.get(entry.attributes().inode().orElseThrow());
            if (entry.path().equals("/ext2_saved")) {
                continue;
            }
            assertThat(inode).as(entry.path()).isNotNull();
            assertThat(entry.attributes()).as(entry.path()).isEqualTo(FileEntry.Attributes.unix(inode.mode(), inode.uid(),
                    inode.gid(), inode.links(), inode.number()));
            assertThat(entry.size()).as(entry.path()).isEqualTo(inode.size());
            assertThat(entry.modified()).as(entry.path()).contains(inode.mtime());
            if (entry.directory()) {
                assertThat(nodes.add(entry.node())).as("node of " + entry.path()).isTrue();
            }
        }
        for (FileEntry directory : Stream.concat(Stream.of(top), entries.stream().filter(FileEntry::directory)).toList()) {
            if (directory.path().equals("/ext2_saved") && directory != top) {
                continue;
            }
            List<String> onDisk = dump.directories.getOrDefault(directory.attributes().inode().orElseThrow(), List.of())
                    .stream().map(DumpTree.Entry::name).toList();
            assertThat(fs.list(directory).stream().map(FileEntry::name).toList()).as(directory.path()).isEqualTo(onDisk);
        }
    }

    /** Over 4 GiB: the hole reads as zeroes in one run, the first and last bytes as written. */
    private static void assertBigSparseFile(FileSystem fs, FileEntry entry) throws IOException {
        assertThat(entry.size()).isEqualTo(BtrfsImages.BIG_SIZE);
        FileReader reader = new FileReader(fs);
        ByteBuffer start = ByteBuffer.allocate(10);
        reader.read(entry, 0, start);
        assertThat(new String(start.array())).isEqualTo("the start\n");
        Mapping hole = fs.map(entry, 1 << 20, 4L << 30);
        assertThat(hole).isInstanceOf(Mapping.Zero.class);
        assertThat(hole.length()).isGreaterThan(1L << 30);
        ByteBuffer tail = ByteBuffer.allocate(BtrfsImages.BIG_TAIL.length());
        reader.read(entry, BtrfsImages.BIG_SIZE - tail.capacity(), tail);
        assertThat(new String(tail.array())).isEqualTo(BtrfsImages.BIG_TAIL);
    }

    static byte[] bytes(FileSystem fs, FileEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fs.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
        return out.toByteArray();
    }
}

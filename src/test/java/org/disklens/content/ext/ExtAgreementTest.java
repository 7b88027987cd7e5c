package org.disklens.content.ext;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
import org.disklens.content.FileSystem;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ext2, ext3 and ext4 made by mke2fs -d from one tree, in every layout that changes how DiskLens reads (block sizes,
 * 32/64-bit descriptors, inode sizes, inline data, meta_bg, bigalloc, block maps, gdt_csum, a checksum seed), then
 * touched by debugfs -w (owners with high bits, nanosecond and post-2038 times, an unwritten extent, a character
 * device). Each listing must agree with the tree (names, types, sizes, targets, every byte) and with debugfs (on-disk
 * order, inode, mode, owner, links, size, mtime), with no warning.
 */
class ExtAgreementTest {
    private static final String BLOCK_MAPS = "^extent,^64bit,^flex_bg";
    @TempDir
    static Path dir;
    static Path plainTree;
    static Path htreeTree;

    @BeforeAll
    static void makeTrees() throws IOException {
        Tools.require("mkfs.ext4", "debugfs", "mkfifo", "blkid");
        plainTree = ExtImages.tree(dir);
        htreeTree = ExtImages.treeWithManyEntries(plainTree);
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of("ext4", 4096, List.of("-O", "64bit"), true),
                Arguments.of("ext4", 1024, List.of("-O", "^64bit", "-I", "128"), true),
                Arguments.of("ext4", 4096, List.of("-O", "inline_data", "-I", "1024"), true),
                Arguments.of("ext4", 1024, List.of("-O", "inline_data,^64bit", "-I", "256"), false),
                Arguments.of("ext4", 4096, List.of("-O", "meta_bg,^resize_inode"), false),
                Arguments.of("ext4", 1024, List.of("-O", "bigalloc", "-C", "4096"), false),
                Arguments.of("ext4", 1024, List.of("-O", "^metadata_csum,uninit_bg"), true),
                Arguments.of("ext4", 4096, List.of("-O", BLOCK_MAPS), false),
                Arguments.of("ext4", 4096, List.of("-O", "metadata_csum_seed", "-U", "clear"), false),
                Arguments.of("ext3", 1024, List.of(), true),
                Arguments.of("ext3", 4096, List.of("-I", "256"), false),
                Arguments.of("ext2", 1024, List.of(), false),
                Arguments.of("ext2", 4096, List.of("-I", "128"), false));
    }

    @ParameterizedTest(name = "{0} -b {1} {2}, htree {3}")
    @MethodSource("layouts")
    void listingAndBytesAgreeWithTheTreeAndDebugfs(String type, int blockSize, List<String> options, boolean htree)
            throws IOException {
        Path tree = htree ? htreeTree : plainTree;
        String name = (type + "-" + blockSize + "-" + String.join("", options)).replaceAll("[^A-Za-z0-9-]", "_") + ".img";
        Path image = ExtImages.mkfs(dir, name, type, blockSize, 64, tree, options);
        boolean seeded = options.contains("metadata_csum_seed");
        if (seeded) {
            Tools.run(dir, "tune2fs", "-U", "random", image.toString());
        }
        boolean extents = type.equals("ext4") && !options.contains(BLOCK_MAPS);
        // debugfs cannot fallocate an inline-data file (it would leave a size past its inline data).
        touchWithDebugfs(image, extents && !String.join(" ", options).contains("inline_data"));
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new ExtType().open(source);
            // blkid names it by its features: an ext4 made with block maps is still ext4.
            assertThat(fs.naming()).isEqualTo(Tools.run(dir, "blkid", "-p", "-o", "value", "-s", "TYPE", image.toString())
                    .strip()).isEqualTo(type);
            Map<String, FileEntry> listed = walk(fs);
            assertAgreesWithTree(fs, tree, listed, options.contains("-I") && options.contains("128"), extents);
            assertAgreesWithDebugfs(image, fs, listed);
            assertThat(fs.warnings()).isEmpty();
            Files.delete(image);
        }
    }

    /** What mke2fs -d cannot make: owners past 16 bits, nanoseconds, a time past 2038, unwritten extents, a device. */
    private static void touchWithDebugfs(Path image, boolean extents) throws IOException {
        List<String> commands = new ArrayList<>(List.of("sif /size-4095 uid 70000", "sif /size-4095 gid 80001",
                "sif /size-4096 mtime_extra 0x12345679", "sif /size-4097 mtime_extra 0x00000ff6",
                "mknod chardev c 1 3"));
        if (extents) {
            commands.addAll(List.of("write /dev/null unwritten", "fallocate /unwritten 0 9", "sif /unwritten size 9000"));
        }
        ExtImages.debugfs(image, true, commands);
    }

    private static Map<String, FileEntry> walk(FileSystem fs) throws IOException {
        Map<String, FileEntry> listed = new LinkedHashMap<>();
        fs.walk(fs.root(), entry -> listed.put(entry.path(), entry), ProgressListener.NONE);
        return listed;
    }

    private static void assertAgreesWithTree(FileSystem fs, Path tree, Map<String, FileEntry> listed, boolean smallInodes,
                                             boolean extents) throws IOException {
        List<String> expected = new ArrayList<>(List.of("/lost+found", "/chardev"));
        try (Stream<Path> paths = Files.walk(tree)) {
            paths.filter(path -> !path.equals(tree)).forEach(path -> expected.add("/" + tree.relativize(path)));
        }
        List<String> actual = new ArrayList<>(listed.keySet());
        actual.remove("/unwritten");
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        for (String path : expected) {
            if (!path.equals("/lost+found") && !path.equals("/chardev")) {
                assertEntryMatchesSource(fs, listed.get(path), tree.resolve(path.substring(1)), extents);
            }
        }
        assertThat(listed.get("/chardev").type()).isEqualTo(FileEntry.Type.OTHER);
        if (listed.containsKey("/unwritten")) {
            assertThat(bytes(fs, listed.get("/unwritten"))).isEqualTo(new byte[9000]);
            assertThat(fs.map(listed.get("/unwritten"), 0, 9000)).isInstanceOf(Mapping.Zero.class);
        }
        if (!smallInodes) {
            assertThat(listed.get("/size-4097").modified()).contains(Instant.ofEpochSecond(
                    (int) Files.getLastModifiedTime(tree.resolve("size-4097")).toInstant().getEpochSecond() + (2L << 32),
                    0x3fd));
        }
    }

    private static void assertEntryMatchesSource(FileSystem fs, FileEntry entry, Path source, boolean extents)
            throws IOException {
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
            if (entry.size() == ExtImages.BIG_SIZE) {
                assertBigSparseFile(fs, entry, extents);
            } else {
                assertThat(bytes(fs, entry)).as(entry.path()).isEqualTo(Files.readAllBytes(source));
            }
        } else {
            assertThat(entry.type()).as(entry.path()).isEqualTo(FileEntry.Type.OTHER);
        }
    }

    /**
     * Over 4 GiB: the hole reads as zeroes (in one run where an extent tree says so, per indirect block where a block
     * map does), the first and last bytes as written.
     */
    private static void assertBigSparseFile(FileSystem fs, FileEntry entry, boolean extents) throws IOException {
        FileReader reader = new FileReader(fs);
        ByteBuffer start = ByteBuffer.allocate(10);
        reader.read(entry, 0, start);
        assertThat(new String(start.array())).isEqualTo("the start\n");
        Mapping hole = fs.map(entry, 1 << 20, 4L << 30);
        assertThat(hole).isInstanceOf(Mapping.Zero.class);
        assertThat(hole.length()).isGreaterThan(extents ? 1L << 30 : 0);
        ByteBuffer tail = ByteBuffer.allocate(ExtImages.BIG_TAIL.length());
        reader.read(entry, ExtImages.BIG_SIZE - tail.capacity(), tail);
        assertThat(new String(tail.array())).isEqualTo(ExtImages.BIG_TAIL);
    }

    static byte[] bytes(FileSystem fs, FileEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fs.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
        return out.toByteArray();
    }

    private static void assertAgreesWithDebugfs(Path image, FileSystem fs, Map<String, FileEntry> listed) throws IOException {
        Map<String, ExtImages.Stat> stats = ExtImages.stat(image, new ArrayList<>(listed.keySet()));
        assertThat(stats.keySet()).containsExactlyInAnyOrderElementsOf(listed.keySet());
        for (FileEntry entry : listed.values()) {
            ExtImages.Stat stat = stats.get(entry.path());
            assertThat(entry.attributes()).as(entry.path())
                    .isEqualTo(FileEntry.Attributes.unix(stat.mode(), stat.uid(), stat.gid(), stat.links(), stat.inode()));
            assertThat(entry.node()).isEqualTo(stat.inode());
            assertThat(entry.size()).as(entry.path()).isEqualTo(stat.size());
            assertThat(entry.modified()).as(entry.path()).contains(stat.mtime());
        }
        for (String directory : List.of("/", "/many", "/a", "/small-dir")) {
            FileEntry entry = directory.equals("/") ? fs.root() : listed.get(directory);
            if (entry == null) {
                continue;
            }
            assertThat(fs.list(entry).stream().map(FileEntry::name).toList()).as(directory)
                    .isEqualTo(ExtImages.names(image, directory));
        }
    }
}

package org.disklens.content.xfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * v5 and v4 (-m crc=0) file systems made by mkfs.xfs -p from one protofile, then touched by xfs_db -x (a file made
 * sparse past 4 GiB, an unwritten extent, nanosecond and out-of-range times). Directories of 5, 100, 300, 2,000 and
 * 10,000 entries take the short-form, block, leaf, node and B+tree forms (xfs_db confirms which). Each listing must
 * agree with the protofile's sources (names, types, sizes, targets, every byte) and with xfs_db (on-disk order, inode,
 * mode, owner, links, size, mtime to the nanosecond), with no warning.
 */
class XfsAgreementTest {
    static final long BIG_SIZE = 5L << 30;
    static final String BIG_TAIL = "the end of a file over 4 GiB\n";
    /** Extents of the file whose extent list is rewritten as a bmbt: more than an inode's data fork holds. */
    static final int FRAGMENTS = 24;
    static final String REMOTE_TARGET = "r".repeat(600) + "/target";
    /** Directories and how many entries each holds: short-form, block, leaf, B+tree node, node. */
    static final Map<String, Integer> DIRECTORIES = Map.of("five", 5, "hundred", 100, "threehundred", 300,
            "twothousand", 2000, "tenthousand", 10_000);
    @TempDir
    static Path dir;
    /** What each path must hold: the source file, or for symlinks the target. */
    static final Map<String, Expected> EXPECTED = new LinkedHashMap<>();

    record Expected(FileEntry.Type type, Path source, String target, long size) {
    }

    @BeforeAll
    static void requireTools() {
        Tools.require("mkfs.xfs", "xfs_db", "xfs_repair");
    }

    /**
     * The protofile and its sources for one block size: big-sparse has two blocks, fragmented FRAGMENTS and donor one,
     * so that once xfs_db has rearranged them every block is still owned exactly once (xfs_repair -n checks).
     */
    static Path makeProtofile(int blockSize) throws IOException {
        EXPECTED.clear();
        Path sources = Files.createDirectories(dir.resolve("sources-" + blockSize));
        XfsImages.Proto proto = new XfsImages.Proto();
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 3_000_001}) {
            addFile(proto, "/", "size-" + size, randomFile(sources, "size-" + size, size, random), "--644", 0, 0);
        }
        addFile(proto, "/", "owners", text(sources, "owners", "set-uid, set-gid, high owners\n"), "ug755", 70_000, 80_001);
        addFile(proto, "/", "ünïcødé-✓-name.txt", text(sources, "unicode", "non-ASCII\n"), "--600", 1000, 1000);
        addFile(proto, "/", "L".repeat(251) + ".txt", text(sources, "long", "a 255-byte name\n"), "--644", 0, 0);
        byte[] two = new byte[2 * blockSize];
        System.arraycopy("the start\n".getBytes(), 0, two, 0, 10);
        System.arraycopy(BIG_TAIL.getBytes(), 0, two, two.length - BIG_TAIL.length(), BIG_TAIL.length());
        addFile(proto, "/", "big-sparse", Files.write(sources.resolve("two"), two), "--644", 0, 0);
        addFile(proto, "/", "unwritten", Files.write(sources.resolve("u"), "u".repeat(8192).getBytes()), "--644", 0, 0);
        addFile(proto, "/", "fragmented", randomFile(sources, "fragmented", FRAGMENTS * blockSize, random), "--644", 0, 0);
        addFile(proto, "/", "donor", randomFile(sources, "donor", blockSize, random), "--644", 0, 0);
        proto.symlink("local-link", "a/b/c/d/e/f/g/h/deep.txt");
        EXPECTED.put("/local-link", new Expected(FileEntry.Type.SYMLINK, null, "a/b/c/d/e/f/g/h/deep.txt", 24));
        proto.symlink("remote-link", REMOTE_TARGET);
        EXPECTED.put("/remote-link", new Expected(FileEntry.Type.SYMLINK, null, REMOTE_TARGET, REMOTE_TARGET.length()));
        proto.device("chardev", 'c', 1, 3).device("blockdev", 'b', 8, 1).fifo("fifo");
        for (String other : List.of("/chardev", "/blockdev", "/fifo")) {
            EXPECTED.put(other, new Expected(FileEntry.Type.OTHER, null, null, 0));
        }
        addDirectory(proto, "/", "empty-dir").end();
        String path = "/";
        for (String part : "a/b/c/d/e/f/g/h".split("/")) {
            addDirectory(proto, path, part);
            path = path + part + "/";
        }
        addFile(proto, path, "deep.txt", text(sources, "deep", "deep\n"), "--644", 0, 0);
        for (int i = 0; i < 8; i++) {
            proto.end();
        }
        Path one = text(sources, "one", "1");
        Path empty = text(sources, "empty", "");
        for (var directory : List.of("five", "hundred", "threehundred", "twothousand", "tenthousand")) {
            addDirectory(proto, "/", directory);
            int count = DIRECTORIES.get(directory);
            for (int i = 0; i < count; i++) {
                // Files with data between the directory's blocks fragment it into many extents (a B+tree).
                // Short names keep five in the inode and hundred in one block, also in v4's 256-byte inodes.
                String name = count <= 100 ? "e%05d".formatted(i) : "entry-number-%05d-of-%s".formatted(i, directory);
                addFile(proto, "/" + directory + "/", name,
                        directory.equals("tenthousand") ? empty : one, "--644", 0, 0);
            }
            proto.end();
        }
        return proto.write(dir.resolve("proto-" + blockSize));
    }

    private static XfsImages.Proto addFile(XfsImages.Proto proto, String parent, String name, Path source, String mode,
                                           long uid, long gid) throws IOException {
        EXPECTED.put(parent + name, new Expected(FileEntry.Type.FILE, source, null, Files.size(source)));
        return proto.file(name, mode, uid, gid, source);
    }

    private static XfsImages.Proto addDirectory(XfsImages.Proto proto, String parent, String name) {
        EXPECTED.put(parent + name, new Expected(FileEntry.Type.DIRECTORY, null, null, -1));
        return proto.directory(name, "--755");
    }

    private static Path randomFile(Path dir, String name, int size, Random random) throws IOException {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static Path text(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-m crc=1", "-m crc=0", "-m crc=1 -b size=1024 -n size=8192", "-m crc=0 -b size=512",
            "-m crc=0 -n ftype=0"})
    void listingAndBytesAgreeWithTheProtofileAndXfsDb(String options) throws IOException {
        boolean v5 = options.contains("crc=1");
        int blockSize = options.contains("-b size=") ? Integer.parseInt(options.replaceAll(".*-b size=(\\d+).*", "$1")) : 4096;
        Path proto = makeProtofile(blockSize);
        Path image = XfsImages.mkfs(dir, options.replaceAll("[^a-z0-9]", "_") + ".img", proto,
                List.of((options + " -L disklens").split(" ")));
        if (v5) {
            writeSymlinkHeader(image, "/remote-link", REMOTE_TARGET);
        }
        Map<String, Long> inodes = touchWithXfsDb(image, v5);
        makeBmbt(image, v5);
        if (!options.contains("-b")) {
            assertDirectoryForms(image);
        }
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fs = new XfsType().open(source);
            Map<String, FileEntry> listed = walk(fs);
            assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
            for (var expected : EXPECTED.entrySet()) {
                assertEntry(fs, listed.get(expected.getKey()), expected.getValue());
            }
            assertAgreesWithXfsDb(image, fs, listed);
            assertTimes(listed, inodes, v5);
            assertThat(fs.warnings()).isEmpty();
        }
        Files.delete(image);
    }

    /**
     * With xfs_db -x: big-sparse's two blocks become two extents 5 GiB apart (a hole between), unwritten's extent gets
     * the unwritten flag; raw times are poked into two inodes (xfs_db rewrites their checksums on a later write).
     */
    private static Map<String, Long> touchWithXfsDb(Path image, boolean v5) throws IOException {
        String fork = v5 ? "u3.bmx" : "u.bmx";
        long blockSize = XfsImages.superblockField(image, "blocksize");
        long last = 1;
        long start = XfsImages.bmap(image, "/big-sparse").getFirst()[1];
        XfsImages.xfsDb(image, true, List.of("path /big-sparse", "write core.size " + BIG_SIZE, "write core.nextents 2",
                "write " + fork + "[0].blockcount 1", "write " + fork + "[1].startoff " + (BIG_SIZE / blockSize - 1),
                "write " + fork + "[1].startblock " + (start + last), "write " + fork + "[1].blockcount 1",
                "path /unwritten", "write " + fork + "[0].extentflag 1"));
        Map<String, Long> inodes = new LinkedHashMap<>();
        for (String path : List.of("/size-4095", "/size-4097")) {
            inodes.put(path, XfsImages.inodeOf(image, path));
        }
        long mtime4095 = XfsImages.inodeOffset(image, inodes.get("/size-4095")) + 40;
        long mtime4097 = XfsImages.inodeOffset(image, inodes.get("/size-4097")) + 40;
        if (v5) {
            // Bigtime: nanoseconds since 1901-12-13T20:45:52Z; 2100-01-01 plus 5 ns, and 1901 itself plus 7 ns.
            XfsImages.poke(image, mtime4095, (4_102_444_800L + (1L << 31)) * 1_000_000_000L + 5, 8);
            XfsImages.poke(image, mtime4097, 7, 8);
        } else {
            XfsImages.poke(image, mtime4095, -100, 4);
            XfsImages.poke(image, mtime4095 + 4, 999_999_999, 4);
            XfsImages.poke(image, mtime4097, Integer.MAX_VALUE, 4);
            XfsImages.poke(image, mtime4097 + 4, 1, 4);
        }
        XfsImages.xfsDb(image, true, List.of("inode " + inodes.get("/size-4095"), "write core.gen 1",
                "inode " + inodes.get("/size-4097"), "write core.gen 1"));
        return inodes;
    }

    /**
     * mkfs.xfs 6.1 writes a v5 remote symlink's target without the XSLM header that the kernel and xfs_repair demand
     * (XfsHostileTest keeps that case); this writes the header as the kernel would (xfs_repair -n then accepts it).
     */
    static void writeSymlinkHeader(Path image, String path, String target) throws IOException {
        long inode = XfsImages.inodeOf(image, path);
        long fsblock = XfsImages.bmap(image, path).getFirst()[1];
        long agBlockLog = XfsImages.superblockField(image, "agblklog");
        long block = (fsblock >>> agBlockLog) * XfsImages.superblockField(image, "agblocks")
                + (fsblock & ((1L << agBlockLog) - 1));
        int blockSize = (int) XfsImages.superblockField(image, "blocksize");
        ByteBuffer bytes = ByteBuffer.allocate(blockSize);
        bytes.putInt(0x58534C4D).putInt(0).putInt(target.length()).putInt(0);
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.read(bytes.slice(16, 16), 32);
            bytes.putLong(32, inode).putLong(40, block * blockSize / 512).putLong(48, 0).put(56, target.getBytes());
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(bytes.array());
            bytes.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(12, (int) crc.getValue());
            channel.write(bytes.clear(), block * blockSize);
        }
    }

    /**
     * Rewrites /fragmented (FRAGMENTS blocks in one extent) as a file of FRAGMENTS one-block extents with a hole after
     * each, kept in a bmbt of one leaf: the leaf goes into /donor's block (donor becomes empty), the root into the
     * inode (xfs_db -x). xfs_repair -n must accept the result, and xfs_db must see the FRAGMENTS extents.
     */
    private static void makeBmbt(Path image, boolean v5) throws IOException {
        int blockSize = (int) XfsImages.superblockField(image, "blocksize");
        long data = XfsImages.bmap(image, "/fragmented").getFirst()[1];
        long leaf = XfsImages.bmap(image, "/donor").getFirst()[1];
        long inode = XfsImages.inodeOf(image, "/fragmented");
        long agBlockLog = XfsImages.superblockField(image, "agblklog");
        long leafBlock = (leaf >>> agBlockLog) * XfsImages.superblockField(image, "agblocks") + (leaf & ((1L << agBlockLog) - 1));
        int header = v5 ? 72 : 24;
        ByteBuffer bytes = ByteBuffer.allocate(blockSize);
        bytes.putInt(v5 ? 0x424D4133 : 0x424D4150).putShort((short) 0).putShort((short) FRAGMENTS).putLong(-1).putLong(-1);
        try (var channel = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            if (v5) {
                bytes.putLong(24, leafBlock * blockSize / 512).putLong(32, 0).putLong(56, inode);
                channel.read(bytes.slice(40, 16), 32);
            }
            for (int i = 0; i < FRAGMENTS; i++) {
                long fileBlock = 2L * i;
                long start = data + i;
                bytes.putLong(header + 16 * i, fileBlock << 9 | start >>> 43).putLong(header + 16 * i + 8, start << 21 | 1);
            }
            if (v5) {
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(bytes.array());
                bytes.order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(64, (int) crc.getValue());
            }
            channel.write(bytes.clear(), leafBlock * blockSize);
        }
        String fork = v5 ? "u3.bmbt" : "u.bmbt";
        XfsImages.xfsDb(image, true, List.of("path /fragmented", "write core.format 3", "write core.nextents " + FRAGMENTS,
                "write core.size " + (2L * FRAGMENTS - 1) * blockSize, "write core.nblocks " + (FRAGMENTS + 1),
                "write " + fork + ".level 1", "write " + fork + ".numrecs 1", "write " + fork + ".keys[1].startoff 0",
                "write " + fork + ".ptrs[1] " + leaf, "path /donor", "write core.size 0", "write core.nextents 0",
                "write core.nblocks 0"));
        // Also checks the symlink header written before, and everything xfs_db -x changed.
        Tools.run(image.getParent(), "xfs_repair", "-n", image.toString());
        assertThat(XfsImages.bmap(image, "/fragmented")).hasSize(FRAGMENTS)
                .allMatch(extent -> extent[1] == data + extent[0] / 2 && extent[2] == 1);
    }

    /** Block 2i is the source's block i, the blocks between are holes of one block each. */
    private static void assertFragmentedFile(FileSystem fs, FileEntry entry, Path source) throws IOException {
        int blockSize = blockSize(fs);
        byte[] original = Files.readAllBytes(source);
        byte[] expected = new byte[(2 * FRAGMENTS - 1) * blockSize];
        for (int i = 0; i < FRAGMENTS; i++) {
            System.arraycopy(original, i * blockSize, expected, 2 * i * blockSize, blockSize);
        }
        assertThat(bytes(fs, entry)).isEqualTo(expected);
        assertThat(fs.map(entry, blockSize + 7, expected.length)).isEqualTo(new Mapping.Zero(blockSize - 7));
        assertThat(fs.map(entry, 2L * blockSize, expected.length)).isInstanceOf(Mapping.Data.class)
                .extracting(Mapping::length).isEqualTo((long) blockSize);
    }

    /** The directory forms this test means to cover, as xfs_db sees them. */
    private static void assertDirectoryForms(Path image) throws IOException {
        List<Long> numbers = new ArrayList<>();
        for (String name : List.of("five", "hundred", "threehundred", "twothousand", "tenthousand")) {
            numbers.add(XfsImages.inodeOf(image, "/" + name));
        }
        Map<Long, XfsImages.Stat> stats = XfsImages.stat(image, numbers);
        assertThat(stats.get(numbers.get(0)).format()).as("five: short form").isEqualTo(Inode.FORMAT_LOCAL);
        assertThat(stats.get(numbers.get(1)).size()).as("hundred: one block").isEqualTo(4096);
        assertThat(stats.get(numbers.get(3)).format()).as("twothousand: B+tree").isEqualTo(Inode.FORMAT_BTREE);
        assertThat(stats.get(numbers.get(4)).format()).as("tenthousand: B+tree").isEqualTo(Inode.FORMAT_BTREE);
        // Leaf form: one leaf block at 32 GiB and no free index at 64 GiB; node form: both.
        assertThat(XfsImages.bmap(image, "/threehundred")).anyMatch(extent -> extent[0] == (32L << 30) / 4096)
                .noneMatch(extent -> extent[0] >= (64L << 30) / 4096);
        assertThat(XfsImages.bmap(image, "/tenthousand")).anyMatch(extent -> extent[0] >= (64L << 30) / 4096);
    }

    static Map<String, FileEntry> walk(FileSystem fs) throws IOException {
        Map<String, FileEntry> listed = new LinkedHashMap<>();
        fs.walk(fs.root(), entry -> listed.put(entry.path(), entry), ProgressListener.NONE);
        return listed;
    }

    private static void assertEntry(FileSystem fs, FileEntry entry, Expected expected) throws IOException {
        assertThat(entry.type()).as(entry.path()).isEqualTo(expected.type());
        switch (expected.type()) {
            case SYMLINK -> {
                assertThat(entry.target()).contains(expected.target());
                assertThat(entry.size()).isEqualTo(expected.size());
                assertThat(bytes(fs, entry)).isEqualTo(expected.target().getBytes());
            }
            case FILE -> {
                if (entry.path().equals("/big-sparse")) {
                    assertBigSparseFile(fs, entry);
                } else if (entry.path().equals("/fragmented")) {
                    assertFragmentedFile(fs, entry, expected.source());
                } else if (entry.path().equals("/donor")) {
                    assertThat(entry.size()).isZero();
                } else if (entry.path().equals("/unwritten")) {
                    assertThat(bytes(fs, entry)).isEqualTo(new byte[8192]);
                    assertThat(fs.map(entry, 0, 8192)).isEqualTo(new Mapping.Zero(8192));
                } else {
                    assertThat(entry.size()).as(entry.path()).isEqualTo(expected.size());
                    assertThat(bytes(fs, entry)).as(entry.path()).isEqualTo(Files.readAllBytes(expected.source()));
                }
            }
            default -> {
            }
        }
    }

    /** Over 4 GiB: the hole reads as zeroes in one run, the first and last bytes as written. */
    private static void assertBigSparseFile(FileSystem fs, FileEntry entry) throws IOException {
        assertThat(entry.size()).isEqualTo(BIG_SIZE);
        FileReader reader = new FileReader(fs);
        ByteBuffer start = ByteBuffer.allocate(10);
        reader.read(entry, 0, start);
        assertThat(new String(start.array())).isEqualTo("the start\n");
        int blockSize = blockSize(fs);
        assertThat(fs.map(entry, blockSize, BIG_SIZE)).isEqualTo(new Mapping.Zero(BIG_SIZE - 2L * blockSize));
        ByteBuffer tail = ByteBuffer.allocate(BIG_TAIL.length());
        reader.read(entry, BIG_SIZE - tail.capacity(), tail);
        assertThat(new String(tail.array())).isEqualTo(BIG_TAIL);
    }

    private static int blockSize(FileSystem fs) {
        return ((XfsFileSystem) fs).blockSize();
    }

    static byte[] bytes(FileSystem fs, FileEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fs.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
        return out.toByteArray();
    }

    /**
     * Every directory's names and inode numbers in xfs_db's order; mode, owner, links, size and mtime of every entry
     * outside the big directories and of every 50th inside them.
     */
    private static void assertAgreesWithXfsDb(Path image, FileSystem fs, Map<String, FileEntry> listed)
            throws IOException {
        List<FileEntry> directories = new ArrayList<>(List.of(fs.root()));
        listed.values().stream().filter(FileEntry::directory).forEach(directories::add);
        List<FileEntry> sample = new ArrayList<>(List.of(fs.root()));
        for (FileEntry directory : directories) {
            List<XfsImages.Listed> theirs = XfsImages.ls(image, directory.path());
            List<FileEntry> ours = fs.list(directory);
            assertThat(ours.stream().map(FileEntry::name).toList()).as(directory.path())
                    .isEqualTo(theirs.stream().map(XfsImages.Listed::name).toList());
            assertThat(ours.stream().map(FileEntry::node).toList()).as(directory.path())
                    .isEqualTo(theirs.stream().map(XfsImages.Listed::inode).toList());
            boolean big = DIRECTORIES.getOrDefault(directory.name(), 0) > 5;
            for (int i = 0; i < ours.size(); i += big ? 50 : 1) {
                sample.add(ours.get(i));
            }
        }
        Map<Long, XfsImages.Stat> stats = XfsImages.stat(image, sample.stream().map(FileEntry::node).toList());
        for (FileEntry entry : sample) {
            XfsImages.Stat stat = stats.get(entry.node());
            assertThat(entry.attributes()).as(entry.path())
                    .isEqualTo(FileEntry.Attributes.unix(stat.mode(), stat.uid(), stat.gid(), stat.links(), entry.node()));
            assertThat(entry.size()).as(entry.path()).isEqualTo(stat.size());
            assertThat(entry.modified()).as(entry.path()).contains(stat.mtime());
        }
    }

    /** The poked times, beyond what xfs_db's print shows of them (it agrees above). */
    private static void assertTimes(Map<String, FileEntry> listed, Map<String, Long> inodes, boolean v5) {
        assertThat(Arrays.asList(listed.get("/size-4095").node(), listed.get("/size-4097").node()))
                .containsExactlyElementsOf(inodes.values());
        if (v5) {
            assertThat(listed.get("/size-4095").modified()).contains(Instant.parse("2100-01-01T00:00:00.000000005Z"));
            assertThat(listed.get("/size-4097").modified()).contains(Instant.parse("1901-12-13T20:45:52.000000007Z"));
        } else {
            assertThat(listed.get("/size-4095").modified()).contains(Instant.parse("1969-12-31T23:58:20.999999999Z"));
            assertThat(listed.get("/size-4097").modified()).contains(Instant.parse("2038-01-19T03:14:07.000000001Z"));
        }
    }
}

package org.disklens.content.xfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile XFS images made from a good v5 one (mkfs.xfs -p), with bytes poked where xfs_db says the structures are
 * (or written by xfs_db -x, which keeps checksums right). Each gives a one-line ImageException naming the structure,
 * or a sound partial answer with a warning, within seconds.
 */
class XfsHostileTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void makeImage() throws IOException {
        Tools.require("mkfs.xfs", "xfs_db");
        Path sources = Files.createDirectories(dir.resolve("sources"));
        Path one = Files.writeString(sources.resolve("one"), "one\n");
        Path plain = Files.writeString(sources.resolve("plain"), "x".repeat(3000));
        XfsImages.Proto proto = new XfsImages.Proto().file("plain.txt", "--644", 0, 0, plain)
                .symlink("remote-link", "r".repeat(600)).directory("five", "--755");
        for (int i = 0; i < 5; i++) {
            proto.file("e" + i, "--644", 0, 0, one);
        }
        proto.end().directory("hundred", "--755");
        for (int i = 0; i < 100; i++) {
            proto.file("e%05d".formatted(i), "--644", 0, 0, one);
        }
        proto.end().directory("twothousand", "--755");
        for (int i = 0; i < 2000; i++) {
            proto.file("entry-number-%05d".formatted(i), "--644", 0, 0, one);
        }
        proto.end();
        good = XfsImages.mkfs(dir, "good.img", proto.write(dir.resolve("proto")), List.of());
    }

    @Test
    void aBmbtBlockThatClaimsTheWrongLevelIsRefused() throws IOException {
        Path image = copy("bmbt-loop.img");
        long leaf = fsblockOffset(image, field(image, "/twothousand", "u3.bmbt.ptrs[1]"));
        // The leaf says it is an inner node: a tree that points back up the way it came would look the same.
        XfsImages.poke(image, leaf + 4, 1, 2);
        assertListRefused(image, "/twothousand", "the tree loops or is damaged");
    }

    @Test
    void aBmbtRootDeeperThanTheLimitIsRefused() throws IOException {
        Path image = copy("bmbt-depth.img");
        long inode = XfsImages.inodeOf(image, "/twothousand");
        XfsImages.poke(image, XfsImages.inodeOffset(image, inode) + Inode.V3_CORE, 15, 2);
        assertListRefused(image, "/twothousand", "bmbt root of level 15");
    }

    @Test
    void aDirectoryEntryWithABadLengthGivesAPartialListingAndAWarning() throws IOException {
        Path image = copy("dir-entry-length.img");
        long block = fsblockOffset(image, XfsImages.bmap(image, "/hundred").getFirst()[1]);
        // Header 64 bytes, "." and ".." 16 each, then entries of 24 bytes: entry 50's name length becomes 200.
        XfsImages.poke(image, block + 96 + 50 * 24 + 8, 200, 1);
        FileSystem fs = open(image);
        List<FileEntry> listed = assertTimeoutPreemptively(BOUND, () -> fs.list(fs.resolve("/hundred").orElseThrow()));
        assertThat(listed).hasSize(50);
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("directory /hundred, entries at")
                && warning.contains("(the rest of the block is skipped)"));
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("checksum mismatch"));
    }

    @Test
    void anUnusedSpaceOfLengthZeroGivesAPartialListing() throws IOException {
        Path image = copy("dir-free-length-zero.img");
        long block = fsblockOffset(image, XfsImages.bmap(image, "/hundred").getFirst()[1]);
        XfsImages.poke(image, block + 96 + 10 * 24, 0xFFFF0000L, 4);
        FileSystem fs = open(image);
        assertThat(fs.list(fs.resolve("/hundred").orElseThrow())).hasSize(10);
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("unused space at 336 has length 0"));
    }

    @Test
    void anExtentPastTheVolumeIsRefused() throws IOException {
        Path image = copy("extent-past-volume.img");
        XfsImages.xfsDb(image, true, List.of("path /plain.txt", "write u3.bmx[0].startblock 4000000000"));
        FileSystem fs = open(image);
        FileEntry plain = fs.resolve("/plain.txt").orElseThrow();
        assertThatThrownBy(() -> XfsAgreementTest.bytes(fs, plain)).isInstanceOf(CorruptImage.class)
                .hasMessageStartingWith("xfs: data of inode ").hasMessageContaining("lies outside the file system");
    }

    @Test
    void anInodeNumberPastTheVolumeLeavesTheEntryOutWithAWarning() throws IOException {
        Path image = copy("inode-past-volume.img");
        long five = XfsImages.inodeOffset(image, XfsImages.inodeOf(image, "/five"));
        // Short form: count, i8count, parent (4), then namelen, offset (2), "e0", ftype, inode (4).
        XfsImages.poke(image, five + Inode.V3_CORE + 6 + 3 + 2 + 1, 0xFFFFFFF0L, 4);
        FileSystem fs = open(image);
        List<FileEntry> listed = fs.list(fs.resolve("/five").orElseThrow());
        assertThat(listed).extracting(FileEntry::name).containsExactly("e1", "e2", "e3", "e4");
        assertThat(fs.warnings()).anyMatch(warning -> warning.startsWith("xfs: inode 4294967280: is not in the file system")
                && warning.endsWith("(/five/e0 is left out)"));
    }

    @Test
    void absurdAllocationGroupsAreRefused() throws IOException {
        assertOpenRefused(poked("agcount-huge.img", 88, 0xFFFFFFFFL, 4), CorruptImage.class, "allocation groups");
        assertOpenRefused(poked("agblocks-tiny.img", 84, 10, 4), CorruptImage.class, "allocation groups of 10 blocks");
        assertOpenRefused(poked("blocksize-odd.img", 4, 3000, 4), CorruptImage.class, "block size 3000");
    }

    @Test
    void anUnknownIncompatibleFeatureIsRefusedByName() throws IOException {
        Path image = poked("incompat-unknown.img", 216, 0x8000000BL, 4);
        assertOpenRefused(image, UnsupportedFeature.class, "incompatible features 0x80000000");
    }

    @Test
    void aRealTimeFileIsRefusedByName() throws IOException {
        Path image = copy("realtime.img");
        XfsImages.xfsDb(image, true, List.of("path /plain.txt", "write core.realtime 1"));
        FileSystem fs = open(image);
        FileEntry plain = fs.resolve("/plain.txt").orElseThrow();
        assertThatThrownBy(() -> XfsAgreementTest.bytes(fs, plain)).isInstanceOf(UnsupportedFeature.class)
                .hasMessageContaining("/plain.txt")
                .hasMessageEndingWith("on the real-time subvolume, which DiskLens does not read");
    }

    @Test
    void aLogWithoutAnUnmountRecordIsAWarning() throws IOException {
        Path image = copy("dirty-log.img");
        long log = fsblockOffset(image, XfsImages.superblockField(image, "logstart"));
        // mkfs leaves one record at the log's start: its header, then the unmount operation (flags at byte 9).
        XfsImages.poke(image, log + 512 + 9, 0, 1);
        FileSystem fs = open(image);
        assertThat(fs.warnings()).containsExactly("xfs: the log was not cleanly unmounted (the last record (block 0) is "
                + "not an unmount record); DiskLens shows the file system as last written, without replaying the log");
        assertThat(XfsAgreementTest.bytes(fs, fs.resolve("/plain.txt").orElseThrow())).hasSize(3000);
    }

    @Test
    void mkfs61sRemoteSymlinkWithoutItsHeaderIsLeftOutWithAWarning() throws IOException {
        // mkfs.xfs 6.1 -p writes a v5 remote symlink's target with no XSLM header (xfs_repair would clear it).
        FileSystem fs = open(good);
        assertThat(fs.resolve("/remote-link")).isEmpty();
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("symlink /remote-link")
                && warning.contains("no XSLM header"));
    }

    @Test
    void aChecksumMismatchIsAWarningNotARefusal() throws IOException {
        Path image = copy("inode-checksum.img");
        long number = XfsImages.inodeOf(image, "/plain.txt");
        long inode = XfsImages.inodeOffset(image, number);
        XfsImages.poke(image, inode + 32, 12345, 4); // di_atime: not shown, but covered by the checksum
        FileSystem fs = open(image);
        assertThat(XfsAgreementTest.bytes(fs, fs.resolve("/plain.txt").orElseThrow())).hasSize(3000);
        assertThat(fs.warnings()).contains("xfs: inode %d at 0x%x: checksum mismatch".formatted(number, inode));
    }

    @Test
    void aFreeSpaceTreeThatClaimsTheWrongLevelCountsItsAgAsUsed() throws IOException {
        Path image = copy("bnobt-level.img");
        long blockSize = XfsImages.superblockField(image, "blocksize");
        long sector = XfsImages.superblockField(image, "sectsize");
        long agBlocks = XfsImages.superblockField(image, "agblocks");
        XfsImages.poke(image, agBlocks * blockSize + sector + 28, 2, 4); // AG 1's AGF: bnolevel 2 (its root is a leaf)
        FileSystem fs = open(image);
        List<long[]> runs = new ArrayList<>();
        fs.freeRanges((offset, length) -> runs.add(new long[] {offset, length}), ProgressListener.NONE);
        assertThat(runs).isNotEmpty().noneMatch(run -> run[0] >= agBlocks * blockSize && run[0] < 2 * agBlocks * blockSize);
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("free-space tree block of AG 1")
                && warning.endsWith("(AG 1 is counted as used)"));
    }

    @Test
    void aVolumeCutShortIsReadAsFarAsItGoes() throws IOException {
        Path image = copy("cut-short.img");
        truncate(image, 8 << 20);
        FileSystem fs = open(image);
        assertTimeoutPreemptively(BOUND, () -> fs.walk(fs.root(), entry -> {
        }, ProgressListener.NONE));
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("less than the file system's"));
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("whether the log is clean is not known"));
    }

    @Test
    void theCommandLineStaysCleanOnEveryHostileImage() throws IOException {
        for (String name : List.of("bmbt-loop.img", "bmbt-depth.img", "dir-entry-length.img", "agcount-huge.img",
                "cut-short.img", "realtime.img", "extent-past-volume.img")) {
            Path image = dir.resolve(name);
            if (Files.exists(image)) {
                Hostile.runSafely(image, "ls", "-R", "--json", image.toString());
            }
        }
    }

    // ---- helpers ----

    private static Path copy(String name) throws IOException {
        Path copy = dir.resolve(name);
        Tools.run(dir, "cp", "--sparse=always", good.toString(), copy.toString());
        return copy;
    }

    private static Path poked(String name, long offset, long value, int width) throws IOException {
        Path image = copy(name);
        XfsImages.poke(image, offset, value, width);
        return image;
    }

    private static FileSystem open(Path image) throws IOException {
        return new XfsType().open(FileBlockSource.open(image));
    }

    private static long field(Path image, String path, String field) throws IOException {
        String out = XfsImages.xfsDb(image, false, List.of("path " + path, "print " + field));
        return Long.parseLong(out.substring(out.indexOf(" = ") + 3).strip());
    }

    /** Volume offset of a file-system block number (AG number in its high bits). */
    private static long fsblockOffset(Path image, long fsblock) throws IOException {
        long agBlockLog = XfsImages.superblockField(image, "agblklog");
        long block = (fsblock >>> agBlockLog) * XfsImages.superblockField(image, "agblocks")
                + (fsblock & ((1L << agBlockLog) - 1));
        return block * XfsImages.superblockField(image, "blocksize");
    }

    private static void assertOpenRefused(Path image, Class<? extends ImageException> kind, String expected) {
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> open(image)).isInstanceOf(kind)
                .hasMessageStartingWith("xfs: ").hasMessageContaining(expected));
    }

    private static void assertListRefused(Path image, String path, String expected) throws IOException {
        FileSystem fs = open(image);
        FileEntry directory = fs.resolve(path).orElseThrow();
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> fs.list(directory))
                .isInstanceOf(CorruptImage.class).hasMessageStartingWith("xfs: ").hasMessageContaining(expected));
    }

    static void truncate(Path image, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }
}

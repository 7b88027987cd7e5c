package org.disklens.content.ext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Hostile;
import org.disklens.testing.Cli;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile ext4 images made from a good one (mke2fs -d, 1 KiB blocks, metadata_csum): bytes poked where debugfs says
 * the structures are. Each gives a one-line ImageException naming the structure, or a sound partial answer with a
 * warning, within seconds.
 */
class ExtHostileTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    @TempDir
    static Path dir;
    static Path good;

    @BeforeAll
    static void makeImage() throws IOException {
        Tools.require("mkfs.ext4", "debugfs");
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("one.txt"), "one\n");
        Files.writeString(tree.resolve("two.txt"), "two\n");
        try (FileChannel fragmented = FileChannel.open(dir.resolve("tree/fragmented"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            for (int i = 0; i < 20; i++) {
                fragmented.write(ByteBuffer.wrap(new byte[] {(byte) (i + 1)}), i * 8192L);
            }
        }
        Files.writeString(dir.resolve("tree/plain.txt"), "x".repeat(3000));
        good = ExtImages.mkfs(dir, "good.img", "ext4", 1024, 8, dir.resolve("tree"), List.of("-O", "^64bit"));
    }

    @Test
    void anExtentTreeThatLoopsIsRefused() throws IOException {
        Path image = copy("extent-loop.img");
        long leaf = extentTreeBlock(image, "/fragmented");
        // Make the leaf an index node whose only entry points back at itself.
        poke(image, leaf * 1024 + 2, 1, 2);
        poke(image, leaf * 1024 + 6, 1, 2);
        poke(image, leaf * 1024 + 12, 0, 4);
        poke(image, leaf * 1024 + 16, leaf, 4);
        poke(image, leaf * 1024 + 20, 0, 2);
        assertReadRefused(image, "/fragmented", "extent tree loops");
    }

    @Test
    void anExtentTreeDeeperThanFiveIsRefused() throws IOException {
        Path image = copy("extent-depth.img");
        poke(image, inodeOffset(image, "/fragmented") + Inode.BLOCK_AREA + 6, 6, 2);
        assertReadRefused(image, "/fragmented", "deeper than 5");
    }

    @Test
    void anExtentPastTheVolumeIsRefused() throws IOException {
        Path image = copy("extent-past-volume.img");
        // plain.txt's root holds its one extent: ee_start_lo at i_block + 12 + 8.
        poke(image, inodeOffset(image, "/plain.txt") + Inode.BLOCK_AREA + 20, 0x7fffff00L, 4);
        assertReadRefused(image, "/plain.txt", "past the end of the file system");
    }

    @Test
    void aZeroRecordLengthGivesAPartialListingAndAWarning() throws IOException {
        Path image = copy("rec-len-zero.img");
        long block = firstDataBlock(image, "/sub");
        // "." (12) and ".." (12), then the first real entry: its rec_len becomes 0.
        poke(image, block * 1024 + 24 + 4, 0, 2);
        FileSystem fs = open(image);
        List<FileEntry> listed = assertTimeoutPreemptively(BOUND, () -> fs.list(fs.resolve("/sub").orElseThrow()));
        assertThat(listed).isEmpty();
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("rec_len 0"));
        assertThat(fs.resolve("/plain.txt")).isPresent();
        Cli.Result listing = Cli.run("ls", "-R", image.toString());
        assertThat(listing.exitCode()).as("a partial listing is an answer").isZero();
        assertThat(listing.out()).contains("/plain.txt");
        assertThat(listing.err()).startsWith("disklens: warning: ext").contains("directory /sub").contains("rec_len 0");
    }

    @Test
    void absurdInodeCountAndSizeAreRefused() throws IOException {
        Path count = copy("inode-count.img");
        poke(count, 1024, 0xFFFFFFFFL, 4);
        assertOpenRefused(count, CorruptImage.class, "inodes do not fit");
        Path size = copy("inode-size.img");
        poke(size, 1024 + 0x58, 0x8000, 2);
        assertOpenRefused(size, CorruptImage.class, "inode size 32768");
    }

    @Test
    void anAbsurdFileSizeLeavesTheFileOutWithAWarning() throws IOException {
        Path image = copy("file-size.img");
        poke(image, inodeOffset(image, "/plain.txt") + 0x6C, 0xFFFFFFFFL, 4);
        FileSystem fs = open(image);
        assertThat(fs.resolve("/plain.txt")).isEmpty();
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("plain.txt") && warning.contains("size"));
    }

    @Test
    void aLogBlockSizeOf40IsRefused() throws IOException {
        Path image = copy("log-block-size-40.img");
        poke(image, 1024 + 0x18, 40, 4);
        assertOpenRefused(image, CorruptImage.class, "log_block_size 40");
    }

    @Test
    void groupDescriptorsPastTheVolumeAreRefused() throws IOException {
        Path image = copy("descriptors-past-volume.img");
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.truncate(2048);
        }
        assertOpenRefused(image, CorruptImage.class, "past the end of the volume");
    }

    @Test
    void anInodeTablePastTheFileSystemIsRefused() throws IOException {
        Path image = copy("inode-table-past.img");
        // Group 0's descriptor is in block 2: bg_inode_table at +8.
        poke(image, 2 * 1024 + 8, 0x7ffffff0L, 4);
        assertOpenRefused(image, CorruptImage.class, "inode table of group 0");
    }

    @Test
    void encryptedEntriesAreRefusedByName() throws IOException {
        Path image = copy("encrypted.img");
        ExtImages.debugfs(image, true, List.of("sif /sub flags 0x800", "sif /plain.txt flags 0x80800"));
        FileSystem fs = open(image);
        FileEntry sub = fs.resolve("/sub").orElseThrow();
        assertThatThrownBy(() -> fs.list(sub)).isInstanceOf(UnsupportedFeature.class)
                .hasMessageContaining("/sub").hasMessageContaining("encrypted with fscrypt; DiskLens does not decrypt it");
        FileEntry plain = fs.resolve("/plain.txt").orElseThrow();
        assertThatThrownBy(() -> ExtAgreementTest.bytes(fs, plain)).isInstanceOf(UnsupportedFeature.class)
                .hasMessageContaining("/plain.txt").hasMessageContaining("encrypted with fscrypt");
    }

    @Test
    void aJournalThatNeedsRecoveryIsAWarning() throws IOException {
        Path image = copy("needs-recovery.img");
        ExtImages.debugfs(image, true, List.of("feature needs_recovery"));
        FileSystem fs = open(image);
        assertThat(fs.warnings()).contains("ext4: the journal needs recovery; DiskLens shows the file system as last "
                + "written, without replaying it");
        assertThat(ExtAgreementTest.bytes(fs, fs.resolve("/sub/one.txt").orElseThrow())).isEqualTo("one\n".getBytes());
    }

    @Test
    void aChecksumMismatchIsAWarningNotARefusal() throws IOException {
        Path image = copy("inode-checksum.img");
        // i_atime of one.txt: not something DiskLens shows, but covered by the inode's checksum.
        long inode = inodeOffset(image, "/sub/one.txt");
        long number = inodeNumber(image, "/sub/one.txt");
        poke(image, inode + 0x8, 12345, 4);
        FileSystem fs = open(image);
        assertThat(ExtAgreementTest.bytes(fs, fs.resolve("/sub/one.txt").orElseThrow())).isEqualTo("one\n".getBytes());
        assertThat(fs.warnings()).containsExactly("ext4: inode %d at 0x%x: checksum mismatch"
                .formatted(number, inode));
    }

    @Test
    void theCommandLineStaysCleanOnEveryHostileImage() throws IOException {
        for (String name : List.of("extent-loop.img", "rec-len-zero.img", "log-block-size-40.img", "inode-count.img")) {
            Path image = dir.resolve(name);
            if (Files.exists(image)) {
                Hostile.runSafely(image, "ls", "-R", "--json", image.toString());
            }
        }
    }

    // ---- helpers ----

    private static Path copy(String name) throws IOException {
        return Files.copy(good, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileSystem open(Path image) throws IOException {
        return new ExtType().open(FileBlockSource.open(image));
    }

    private static void assertOpenRefused(Path image, Class<? extends ImageException> kind, String expected) {
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> open(image)).isInstanceOf(kind)
                .hasMessageStartingWith("ext4: ").hasMessageContaining(expected));
    }

    private static void assertReadRefused(Path image, String path, String expected) throws IOException {
        FileSystem fs = open(image);
        FileEntry entry = fs.resolve(path).orElseThrow();
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> fs.walk(fs.root(), visited -> {
            if (visited.path().equals(path)) {
                ExtAgreementTest.bytes(fs, visited);
            }
        }, ProgressListener.NONE)).isInstanceOf(CorruptImage.class).hasMessageStartingWith("ext4: ")
                .hasMessageContaining(expected));
        assertThat(entry.path()).isEqualTo(path);
    }

    private static final Pattern IMAP = Pattern.compile("located at block (\\d+), offset 0x([0-9a-f]+)");

    private static long inodeOffset(Path image, String path) throws IOException {
        Matcher matcher = IMAP.matcher(ExtImages.debugfs(image, false, List.of("imap \"" + path + "\"")));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1)) * 1024 + Long.parseLong(matcher.group(2), 16);
    }

    private static long inodeNumber(Path image, String path) throws IOException {
        return ExtImages.stat(image, List.of(path)).get(path).inode();
    }

    private static long extentTreeBlock(Path image, String path) throws IOException {
        Matcher matcher = Pattern.compile("\\(ETB0\\):(\\d+)").matcher(ExtImages.debugfs(image, false,
                List.of("stat \"" + path + "\"")));
        assertThat(matcher.find()).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static long firstDataBlock(Path image, String path) throws IOException {
        String out = ExtImages.debugfs(image, false, List.of("bmap \"" + path + "\" 0"));
        List<String> numbers = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.strip().matches("\\d+")) {
                numbers.add(line.strip());
            }
        }
        return Long.parseLong(numbers.getFirst());
    }

    private static void poke(Path image, long offset, long value, int width) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).limit(width);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }
}

package org.disklens.content.ntfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
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
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes poked into a good volume made by mkntfs and ntfs-3g: torn records, runs past the volume or of no length,
 * attribute lists and indexes that loop, attributes of length 0, absurd sizes. Each must give an
 * {@link ImageException} or a sound partial listing with a warning, within seconds, and the command line must fail
 * in one clear line or succeed.
 */
class NtfsHostileTest {
    static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    static Path shared;
    static Path good;
    static int clusterSize;
    static long mftStart;

    @BeforeAll
    static void makeAGoodVolume() throws IOException {
        NtfsTestImages.requireMount(shared);
        good = NtfsTestImages.format(shared, "good.img", "16M");
        try (NtfsTestImages.Mount mount = new NtfsTestImages.Mount(good, shared.resolve("m"), "streams_interface=xattr")) {
            Path root = mount.root();
            Files.createDirectories(root.resolve("docs"));
            Files.writeString(root.resolve("docs/notes.txt"), "notes\n");
            Files.writeString(root.resolve("docs/other.txt"), "other\n");
            Files.write(root.resolve("big.bin"), new byte[100_000]);
            Path many = Files.createDirectories(root.resolve("many"));
            for (int i = 0; i < 600; i++) {
                Files.writeString(many.resolve("entry-%04d.txt".formatted(i)), "entry " + i);
            }
            Files.writeString(root.resolve("base"), "one file, many names\n");
            for (int i = 0; i < 40; i++) {
                Files.createLink(root.resolve("a-rather-long-name-for-hard-link-%02d".formatted(i)), root.resolve("base"));
            }
        }
        ByteBuffer boot = read(good, 0, 512);
        clusterSize = Short.toUnsignedInt(boot.getShort(11)) * Byte.toUnsignedInt(boot.get(13));
        mftStart = boot.getLong(48) * clusterSize;
    }

    @Test
    void aTornFileRecordLeavesThatFileOutWithAWarning() throws IOException {
        Path torn = poke("torn-file-record", record("/docs/notes.txt") + 510, 0x4242, 2);
        NtfsFileSystem ntfs = open(torn);
        List<String> names = names(ntfs, "/docs");
        assertThat(names).containsExactly("other.txt");
        assertThat(ntfs.warnings()).singleElement().asString().contains("notes.txt", "update sequence mismatch");
        cliSurvives(torn);
    }

    @Test
    void aTornRecordZeroIsReadFromTheMirror() throws IOException {
        Path torn = poke("torn-record-0", mftStart + 510, 0x4242, 2);
        NtfsFileSystem ntfs = open(torn);
        assertThat(names(ntfs, "/docs")).containsExactly("notes.txt", "other.txt");
        assertThat(ntfs.warnings()).singleElement().asString().contains("MFT record 0", "$MFTMirr");
        cliSurvives(torn);
    }

    @Test
    void aRunPastTheVolumeIsDamageOfThatFile() throws IOException {
        long runs = runList("/big.bin");
        int header = read(good, runs, 1).get(0);
        int lengthSize = header & 0xF;
        int offsetSize = (header >> 4) & 0xF;
        Path past = poke("run-past-the-volume", runs + 1 + lengthSize + offsetSize - 1, 0x70, 1);
        NtfsFileSystem ntfs = open(past);
        assertThat(names(ntfs, "/")).doesNotContain("big.bin").contains("docs", "many");
        assertThat(ntfs.warnings()).singleElement().asString().contains("big.bin", "past the volume");
        cliSurvives(past);
    }

    @Test
    void aRunOfNoClustersIsDamageOfThatFile() throws IOException {
        long runs = runList("/big.bin");
        int header = read(good, runs, 1).get(0);
        Path zero = good;
        for (int i = 0; i < (header & 0xF); i++) {
            zero = poke(zero, "run-of-length-zero", runs + 1 + i, 0, 1);
        }
        NtfsFileSystem ntfs = open(zero);
        assertThat(names(ntfs, "/")).doesNotContain("big.bin");
        assertThat(ntfs.warnings()).singleElement().asString().contains("a run of 0 clusters");
        cliSurvives(zero);
    }

    @Test
    void anAttributeListNamingARecordThatIsNotItsExtensionIsRefused() throws IOException {
        long base = recordNumber("/base");
        long extension = extensionOf(base);
        // The extension record claims to extend itself: following it would be a loop.
        Path loop = poke("attribute-list-loop", mftStart + extension * 1024 + 32, Long.reverseBytes(extension), 8);
        NtfsFileSystem ntfs = open(loop);
        assertThat(names(ntfs, "/")).doesNotContain("base").contains("docs");
        assertThat(ntfs.warnings()).isNotEmpty().allSatisfy(warning -> assertThat(warning)
                .contains("not an extension of record " + base));
        cliSurvives(loop);
    }

    /** The top INDX block of a large directory gets a sub-node VCN that points back at itself: a cycle. */
    @Test
    void anIndexWhoseSubnodeLoopsListsTheRestWithAWarning() throws IOException {
        long many = record("/many");
        ByteBuffer record = recordBytes(many);
        int root = (int) (attribute(many, MftRecord.INDEX_ROOT) - many);
        int node = root + Short.toUnsignedInt(record.getShort(root + 20)) + 16;
        List<long[]> rootSubnodes = subnodes(record, node);
        assertThat(rootSubnodes).as("the index root is a branch").isNotEmpty();
        long branchVcn = rootSubnodes.getFirst()[1];
        int allocation = (int) (attribute(many, MftRecord.INDEX_ALLOCATION) - many);
        int runs = allocation + Short.toUnsignedInt(record.getShort(allocation + 32));
        int header = record.get(runs);
        assertThat(header).as("a one-byte length and a two-byte LCN").isEqualTo(0x21);
        long firstLcn = Short.toUnsignedInt(record.getShort(runs + 2));
        assertThat(Byte.toUnsignedLong(record.get(runs + 1))).isGreaterThan(branchVcn);
        long block = (firstLcn + branchVcn) * clusterSize;
        ByteBuffer indx = read(good, block, 4096);
        int usa = Short.toUnsignedInt(indx.getShort(4));
        for (int sector = 0; sector < 8; sector++) {
            indx.putShort(sector * 512 + 510, indx.getShort(usa + 2 + 2 * sector));
        }
        assertThat(indx.getInt(24 + 12) & 1).as("the top INDX block is a branch too").isEqualTo(1);
        List<long[]> branchSubnodes = subnodes(indx, 24);
        Path loop = poke("index-subnode-loop", block + branchSubnodes.getFirst()[0], Long.reverseBytes(branchVcn), 8);
        NtfsFileSystem ntfs = open(loop);
        List<String> names = names(ntfs, "/many");
        assertThat(names).hasSizeBetween(1, 599).doesNotHaveDuplicates();
        assertThat(ntfs.warnings()).singleElement().asString().contains("VCN " + branchVcn, "reached a second time");
        cliSurvives(loop);
    }

    /** The entries of the node whose header is at {@code node} that have a sub-node: {where its VCN is, the VCN}. */
    private static List<long[]> subnodes(ByteBuffer bytes, int node) {
        List<long[]> subnodes = new ArrayList<>();
        int end = node + bytes.getInt(node + 4);
        for (int at = node + bytes.getInt(node); at < end; ) {
            int length = Short.toUnsignedInt(bytes.getShort(at + 8));
            int flags = bytes.getInt(at + 12);
            if ((flags & IndexEntry.SUBNODE) != 0) {
                subnodes.add(new long[] {at + length - 8, bytes.getLong(at + length - 8)});
            }
            if ((flags & IndexEntry.LAST) != 0 || length == 0) {
                break;
            }
            at += length;
        }
        return subnodes;
    }

    @Test
    void anAttributeOfLengthZeroIsDamageOfItsRecord() throws IOException {
        long notes = record("/docs/notes.txt");
        int first = Short.toUnsignedInt(read(good, notes + 20, 2).getShort(0));
        Path zero = poke("attribute-length-zero", notes + first + 4, 0, 4);
        NtfsFileSystem ntfs = open(zero);
        assertThat(names(ntfs, "/docs")).containsExactly("other.txt");
        assertThat(ntfs.warnings()).singleElement().asString().contains("length 0");
        cliSurvives(zero);

        long rootRecord = mftStart + 5 * 1024;
        int rootFirst = Short.toUnsignedInt(read(good, rootRecord + 20, 2).getShort(0));
        Path rootZero = poke("root-attribute-length-zero", rootRecord + rootFirst + 4, 0, 4);
        assertThatThrownBy(() -> open(rootZero)).isInstanceOf(CorruptImage.class)
                .hasMessage("ntfs: MFT record 5 attribute at byte %d at 0x%x: length 0 does not fit the record"
                        .formatted(rootFirst, rootRecord + rootFirst));
        Hostile.assertRefused(rootZero, "length 0 does not fit the record", "ls", "-R", rootZero.toString());
    }

    @Test
    void absurdBootSectorSizesAreRefused() throws IOException {
        assertThatThrownBy(() -> open(poke("record-size-127-clusters", 64, 0x7F, 1))).isInstanceOf(LimitExceeded.class)
                .hasMessageContaining("MFT record size code 127");
        assertThatThrownBy(() -> open(poke("record-size-2^32", 64, 0xE0, 1))).isInstanceOf(LimitExceeded.class);
        assertThatThrownBy(() -> open(poke("no-sectors-per-cluster", 13, 0, 1))).isInstanceOf(CorruptImage.class)
                .hasMessageContaining("sectors per cluster");
        assertThatThrownBy(() -> open(poke("mft-past-the-volume", 48, Long.reverseBytes(1L << 40), 8)))
                .isInstanceOf(CorruptImage.class).hasMessageContaining("past the volume");
        Path truncated = Hostile.truncated(good, "truncated", 6 << 20);
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                NtfsFileSystem ntfs = open(truncated);
                walkAndCopy(ntfs);
            } catch (ImageException expected) {
                assertThat(expected.getMessage()).startsWith("ntfs: ");
            }
        });
        cliSurvives(truncated);
    }

    @Test
    void aDirtyVolumeOpensWithAWarning() throws IOException {
        long volume = mftStart + 3 * 1024;
        long information = attribute(volume, MftRecord.VOLUME_INFORMATION);
        int value = Short.toUnsignedInt(read(good, information + 20, 2).getShort(0));
        int flags = read(good, information + value + 10, 1).get(0);
        Path dirty = poke("dirty-volume", information + value + 10, flags | 0x1, 1);
        NtfsFileSystem ntfs = open(dirty);
        assertThat(ntfs.warnings()).singleElement().asString().contains("marked dirty");
        assertThat(names(ntfs, "/docs")).containsExactly("notes.txt", "other.txt");
        assertThat(open(good).warnings()).isEmpty();
    }

    @Test
    void anEfsEncryptedFileIsRefusedByName() throws IOException {
        long notes = record("/docs/notes.txt");
        long standard = attribute(notes, MftRecord.STANDARD_INFORMATION);
        int value = Short.toUnsignedInt(read(good, standard + 20, 2).getShort(0));
        int flags = read(good, standard + value + 32, 4).getInt(0);
        Path encrypted = poke("efs-encrypted", standard + value + 32, Integer.reverseBytes(flags | 0x4000), 4);
        NtfsFileSystem ntfs = open(encrypted);
        FileEntry file = ntfs.resolve("/docs/notes.txt").orElseThrow();
        assertThatThrownBy(() -> ntfs.map(file, 0, file.size())).isInstanceOf(UnsupportedFeature.class)
                .hasMessage("ntfs: file /docs/notes.txt: encrypted with EFS; DiskLens does not decrypt it");
        Hostile.assertRefused(encrypted, "encrypted with EFS; DiskLens does not decrypt it", "extract",
                encrypted.toString(), "/docs/notes.txt", shared.resolve("efs-out").toString());
    }

    // ---- helpers ----

    private static NtfsFileSystem open(Path image) throws IOException {
        FileBlockSource source = FileBlockSource.open(image);
        return assertTimeoutPreemptively(BOUND, () -> NtfsFileSystem.open(source));
    }

    private static List<String> names(NtfsFileSystem ntfs, String path) {
        return assertTimeoutPreemptively(BOUND, () -> ntfs.list(ntfs.resolve(path).orElseThrow()).stream()
                .map(FileEntry::name).toList());
    }

    private static void walkAndCopy(NtfsFileSystem ntfs) throws IOException {
        ntfs.walk(ntfs.root(), entry -> {
            if (entry.type() == FileEntry.Type.FILE) {
                ntfs.copy(entry, Channels.newChannel(OutputStream.nullOutputStream()), ProgressListener.NONE);
            }
        }, ProgressListener.NONE);
    }

    /** The command line lists the whole tree or fails in one line, in bounded time. */
    private static void cliSurvives(Path image) {
        Hostile.runSafely(image, "ls", "-R", "--json", image.toString());
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                walkAndCopy(open(image));
            } catch (ImageException expected) {
                assertThat(expected.getMessage()).startsWith("ntfs: ");
            }
        });
    }

    private static Path poke(String name, long offset, long value, int width) {
        return poke(good, name, offset, value, width);
    }

    private static Path poke(Path from, String name, long offset, long value, int width) {
        assertThat((offset + width - 1) % 512 >= 510 && !name.startsWith("torn")).as("poke avoids sector ends").isFalse();
        return Hostile.poke(from, name, offset, value, width);
    }

    private static ByteBuffer read(Path image, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(bytes, offset);
            return bytes.flip();
        }
    }

    /** The MFT record number ntfsinfo gives for a path. */
    private static long recordNumber(String path) {
        Matcher inode = Pattern.compile("Dumping Inode (\\d+)").matcher(Tools.run(shared, "ntfsinfo", "-F", path,
                good.toString()));
        assertThat(inode.find()).isTrue();
        return Long.parseLong(inode.group(1));
    }

    /** Where a record lies in the image (the MFT of a fresh small volume starts with one run), checked by its number. */
    private static long record(String path) throws IOException {
        long number = recordNumber(path);
        long at = mftStart + number * 1024;
        ByteBuffer header = read(good, at, 48);
        assertThat(header.getInt(0)).isEqualTo(0x454C4946); // "FILE"
        assertThat(Integer.toUnsignedLong(header.getInt(44))).isEqualTo(number);
        return at;
    }

    /** The 1 KiB record at {@code record} with its update sequence undone (the real last bytes of each sector). */
    private static ByteBuffer recordBytes(long record) throws IOException {
        ByteBuffer bytes = read(good, record, 1024);
        int usa = Short.toUnsignedInt(bytes.getShort(4));
        bytes.putShort(510, bytes.getShort(usa + 2)).putShort(1022, bytes.getShort(usa + 4));
        return bytes;
    }

    /** Where the first attribute of {@code type} starts in the record at {@code record}. */
    private static long attribute(long record, int type) throws IOException {
        ByteBuffer bytes = recordBytes(record);
        for (int at = Short.toUnsignedInt(bytes.getShort(20)); at < 1024 - 8 && bytes.getInt(at) != -1; ) {
            if (bytes.getInt(at) == type) {
                return record + at;
            }
            at += bytes.getInt(at + 4);
        }
        throw new AssertionError("no attribute 0x%x".formatted(type));
    }

    private static long runList(String path) throws IOException {
        long data = attribute(record(path), MftRecord.DATA);
        return data + Short.toUnsignedInt(read(good, data + 32, 2).getShort(0));
    }

    /** The first extension record that ntfsinfo shows attributes of for {@code base}. */
    private static long extensionOf(long base) {
        Matcher from = Pattern.compile("from mft record (\\d+)").matcher(Tools.run(shared, "ntfsinfo", "-i",
                Long.toString(base), good.toString()));
        List<Long> records = new ArrayList<>();
        while (from.find()) {
            records.add(Long.parseLong(from.group(1)));
        }
        return records.stream().filter(number -> number != base).findFirst().orElseThrow();
    }
}

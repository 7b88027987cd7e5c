package org.disklens.content.fat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Cli;
import org.disklens.testing.Hostile;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Good FAT16 and FAT32 images made by mkfs.vfat and mcopy, with bytes poked in: chains that loop, cross, leave the
 * volume or meet free and bad entries, sizes beyond the chain, absurd BPB fields, a directory that contains itself,
 * long names whose checksum or short entry is gone. Each gives an {@link ImageException} or a sound partial answer
 * (with a warning) within seconds. Offsets are worked out here from the BPB and the short names, as fatgen103 says.
 */
class FatHostileTest {
    static final Duration BOUND = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static Path fat16;
    static Path fat32;
    static Path fat12;

    @BeforeAll
    static void makeImages() throws IOException {
        Tools.require("mkfs.vfat", "mcopy");
        Path tree = dir.resolve("tree");
        byte[] big = new byte[100_000];
        new Random(5).nextBytes(big);
        Files.createDirectories(tree.resolve("sub/deeper"));
        Files.write(tree.resolve("big.bin"), big);
        Files.write(tree.resolve("f4097.bin"), new byte[4097]);
        Files.writeString(tree.resolve("MixedCase.Txt"), "mixed\n");
        Files.writeString(tree.resolve("sub/deeper/inner.txt"), "inner\n");
        for (int i = 0; i < 200; i++) {
            Files.createDirectories(tree.resolve("many"));
            Files.writeString(tree.resolve("many/%03d entry with a long name.txt".formatted(i)), "entry " + i);
        }
        fat16 = FatTrees.image(dir, "good16.img", tree, 30_000, "-F", "16", "-s", "1");
        fat32 = FatTrees.image(dir, "good32.img", tree, 40_000, "-F", "32", "-s", "1");
        Files.delete(tree.resolve("big.bin"));
        fat12 = FatTrees.image(dir, "good12.img", tree, 1440, "-F", "12");
    }

    // ---- what the tests know of the layout (fatgen103), independently of the code under test ----

    /** The BPB fields the pokes need. */
    record Geometry(int sectorSize, int clusterSize, long fatStart, long fatBytes, int fats, long rootStart,
                    long dataStart, boolean fat32) {
        static Geometry of(Path image) throws IOException {
            ByteBuffer boot = ByteBuffer.wrap(Files.readAllBytes(image), 0, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
            int sector = Short.toUnsignedInt(boot.getShort(11));
            int perCluster = Byte.toUnsignedInt(boot.get(13));
            int reserved = Short.toUnsignedInt(boot.getShort(14));
            int fats = boot.get(16);
            int rootEntries = Short.toUnsignedInt(boot.getShort(17));
            long fatSectors = boot.getShort(22) != 0 ? Short.toUnsignedInt(boot.getShort(22)) : boot.getInt(36);
            long rootStart = (reserved + fats * fatSectors) * sector;
            long dataStart = rootStart + (rootEntries * 32L + sector - 1) / sector * sector;
            return new Geometry(sector, sector * perCluster, (long) reserved * sector, fatSectors * sector, fats, rootStart,
                    dataStart, rootEntries == 0);
        }

        long entryAt(long cluster) {
            return fatStart + cluster * (fat32 ? 4 : 2);
        }

        long clusterAt(long cluster) {
            return dataStart + (cluster - 2) * clusterSize;
        }
    }

    /** A copy of the good image to poke into. */
    private static Path copy(Path good, String name) throws IOException {
        return Files.copy(good, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(Path image, long offset, long value, int width) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> bytes.put((byte) value);
            case 2 -> bytes.putShort((short) value);
            default -> bytes.putInt((int) value);
        }
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(bytes.flip(), offset);
        }
    }

    /** Sets cluster {@code cluster}'s entry in every FAT copy. */
    private static void setFat(Path image, long cluster, long value) throws IOException {
        Geometry geometry = Geometry.of(image);
        for (int copy = 0; copy < geometry.fats(); copy++) {
            write(image, geometry.entryAt(cluster) + copy * geometry.fatBytes(), value, geometry.fat32() ? 4 : 2);
        }
    }

    private static long fatEntry(Path image, long cluster) throws IOException {
        Geometry geometry = Geometry.of(image);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
        return geometry.fat32() ? bytes.getInt((int) geometry.entryAt(cluster)) & 0x0FFFFFFF
                : Short.toUnsignedInt(bytes.getShort((int) geometry.entryAt(cluster)));
    }

    /** Where the 8.3 entry named {@code shortName} (11 bytes, as stored) is: the first such bytes at a slot start. */
    private static long shortEntry(Path image, String shortName) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        byte[] name = shortName.getBytes(StandardCharsets.ISO_8859_1);
        Geometry geometry = Geometry.of(image);
        outer:
        for (long at = geometry.rootStart(); at + 32 <= bytes.length; at += 32) {
            for (int i = 0; i < 11; i++) {
                if (bytes[(int) at + i] != name[i]) {
                    continue outer;
                }
            }
            return at;
        }
        throw new IllegalStateException(shortName + " not found");
    }

    private static long firstCluster(Path image, long entry) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
        long high = Geometry.of(image).fat32() ? Short.toUnsignedInt(bytes.getShort((int) entry + 20)) : 0;
        return high << 16 | Short.toUnsignedInt(bytes.getShort((int) entry + 26));
    }

    private static void setFirstCluster(Path image, long entry, long cluster) throws IOException {
        write(image, entry + 26, cluster & 0xffff, 2);
        if (Geometry.of(image).fat32()) {
            write(image, entry + 20, cluster >>> 16, 2);
        }
    }

    // ---- reading ----

    /** Opens, walks and copies everything; the first ImageException is the answer (null: all read). */
    private static ImageException readAll(Path image, List<String> warnings) {
        return assertTimeoutPreemptively(BOUND, () -> {
            try (FileBlockSource source = FileBlockSource.open(image)) {
                FileSystem fat = new FatType().open(source);
                try {
                    fat.walk(fat.root(), entry -> {
                        if (entry.type() == FileEntry.Type.FILE) {
                            fat.copy(entry, Channels.newChannel(OutputStream.nullOutputStream()), ProgressListener.NONE);
                        }
                    }, ProgressListener.NONE);
                    fat.freeRanges((offset, length) -> { }, ProgressListener.NONE);
                    return null;
                } catch (ImageException refused) {
                    return refused;
                } finally {
                    warnings.addAll(fat.warnings());
                }
            } catch (ImageException refused) {
                return refused;
            }
        });
    }

    private static ImageException refusal(Path image) {
        ImageException refused = readAll(image, new ArrayList<>());
        assertThat(refused).as("an ImageException").isNotNull();
        assertThat(refused.getMessage()).startsWith("vfat: ").doesNotContain("\n");
        return refused;
    }

    private static List<FileEntry> list(Path image, String path, List<String> warnings) throws IOException {
        try (FileBlockSource source = FileBlockSource.open(image)) {
            FileSystem fat = new FatType().open(source);
            List<FileEntry> entries = assertTimeoutPreemptively(BOUND, () -> fat.list(fat.resolve(path).orElseThrow()));
            warnings.addAll(fat.warnings());
            return entries;
        }
    }

    @Test
    void theGoodImagesReadWhole() {
        List<String> warnings = new ArrayList<>();
        assertThat(readAll(fat16, warnings)).isNull();
        assertThat(readAll(fat32, warnings)).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFileChainThatLoopsIsRefused() throws IOException {
        for (Path good : List.of(fat16, fat32)) {
            Path image = copy(good, "loop-in-file-chain-" + good.getFileName());
            long first = firstCluster(image, shortEntry(image, "BIG     BIN"));
            setFat(image, first + 5, first + 2);
            assertThat(refusal(image)).isInstanceOf(CorruptImage.class).hasMessageContaining("file /big.bin")
                    .hasMessageContaining("reaches cluster %d twice".formatted(first + 2));
        }
    }

    @Test
    void aChainCrossLinkedIntoAnotherFilesEndIsShorterThanItsSize() throws IOException {
        Path image = copy(fat16, "cross-linked-chain.img");
        long big = firstCluster(image, shortEntry(image, "BIG     BIN"));
        long other = firstCluster(image, shortEntry(image, "F4097   BIN"));
        setFat(image, big, other + 8);
        assertThat(fatEntry(image, other + 8)).isGreaterThanOrEqualTo(0xFFF8);
        assertThat(refusal(image)).hasMessageContaining("file /big.bin: FAT entry of cluster " + (other + 8))
                .hasMessageContaining("the chain ends after 2 of the 196 clusters its size needs");
    }

    @Test
    void aClusterPastTheVolumeAFreeEntryAndABadMarkInAChainAreRefused() throws IOException {
        for (Path good : List.of(fat16, fat32)) {
            boolean is32 = good == fat32;
            long[] values = {is32 ? 0x0FFFFF00L : 0xFFEE, 0, is32 ? 0x0FFFFFF7L : 0xFFF7, 1};
            String[] said = {"a reserved value or a cluster past the volume", "a free entry", "a bad-cluster mark",
                "0x1, a reserved value"};
            for (int i = 0; i < values.length; i++) {
                Path image = copy(good, "chain-value-%d-%s".formatted(i, good.getFileName()));
                long first = firstCluster(image, shortEntry(image, "BIG     BIN"));
                setFat(image, first + 3, values[i]);
                assertThat(refusal(image)).as(said[i]).hasMessageContaining(said[i]).hasMessageContaining("after 4 of");
            }
        }
    }

    @Test
    void aFirstClusterPastTheVolumeIsRefusedForAFileAndListsNothingForADirectory() throws IOException {
        Path image = copy(fat32, "first-cluster-past-the-volume.img");
        setFirstCluster(image, shortEntry(image, "BIG     BIN"), 0x0FFFFFF0L);
        setFirstCluster(image, shortEntry(image, "SUB        "), 0x0F000000L);
        assertThat(refusal(image)).hasMessageContaining("file /big.bin")
                .hasMessageContaining("first cluster 268435440 is outside clusters 2 to");
        List<String> warnings = new ArrayList<>();
        assertThat(list(image, "/sub", warnings)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("directory /sub: first cluster 251658240 is outside");
    }

    @Test
    void aFileLargerThanItsChainIsRefused() throws IOException {
        Path image = copy(fat16, "size-beyond-chain.img");
        write(image, shortEntry(image, "F4097   BIN") + 28, 9000, 4);
        assertThat(refusal(image)).hasMessageContaining("file /f4097.bin")
                .hasMessageContaining("the chain ends after 9 of the 18 clusters its size needs");
        Path huge = copy(fat16, "size-beyond-volume.img");
        write(huge, shortEntry(huge, "F4097   BIN") + 28, 0xFFFFFFF0L, 4);
        assertThat(refusal(huge)).hasMessageContaining("its size needs 8388608 clusters, more than the volume's");
    }

    @Test
    void anAbsurdRootEntryCountIsRefusedAtOpenAndByTheCommandLine() throws IOException {
        Path image = copy(fat12, "absurd-root-entry-count.img");
        write(image, 17, 0xFFF0, 2);
        assertThat(refusal(image)).isInstanceOf(CorruptImage.class)
                .hasMessageStartingWith("vfat: boot sector at 0x13: the data region starts at sector ")
                .hasMessageEndingWith(", past the volume's 2880 sectors");
        Cli.Result result = Hostile.runSafely(image, "ls", "-R", image.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("vfat: boot sector");
    }

    /** 65,520 root entries fit in a 30 MB volume: what follows the root is then read as entries, soundly. */
    @Test
    void aHugeRootEntryCountThatFitsGivesASoundAnswer() throws IOException {
        Path image = copy(fat16, "huge-root-entry-count.img");
        write(image, 17, 0xFFF0, 2);
        ImageException refused = readAll(image, new ArrayList<>());
        assertThat(refused == null || refused.getMessage().startsWith("vfat: ")).isTrue();
    }

    @Test
    void sectorsPerClusterZeroIsNotFat() throws IOException {
        Path image = copy(fat16, "sectors-per-cluster-zero.img");
        write(image, 13, 0, 1);
        try (FileBlockSource source = FileBlockSource.open(image)) {
            assertThat(new FatType().probe(source.read(0, 4096, ByteOrder.LITTLE_ENDIAN), source)).isEmpty();
            assertThatThrownBy(() -> new FatType().open(source)).isInstanceOf(UnsupportedFeature.class)
                    .hasMessageContaining("no FAT boot sector");
        }
        Hostile.runSafely(image, "ls", image.toString());
    }

    @Test
    void oddBpbFieldsAreRefusedAtOpen() throws IOException {
        Object[][] pokes = {
            {"sectors-per-cluster-3", 13L, 3L, 1, "sectors per cluster 3 is not a power of two"},
            {"no-fat", 16L, 0L, 1, "no FAT"},
            {"fat-too-small", 22L, 1L, 2, "a FAT of 1 sectors cannot hold"},
            {"fat32-version", 42L, 0x0100L, 2, "FAT32 version 1.0"},
            {"fat32-root-cluster-past-the-volume", 44L, 0x0FFFFFF0L, 4, "root directory cluster 268435440 is outside"},
            {"fat32-active-fat-past-the-fats", 40L, 0x85L, 2, "active FAT 5 of 2"},
        };
        for (Object[] poke : pokes) {
            Path good = ((String) poke[0]).startsWith("fat32") ? fat32 : fat16;
            Path image = copy(good, poke[0] + ".img");
            write(image, (Long) poke[1], (Long) poke[2], (Integer) poke[3]);
            assertThat(refusal(image)).as((String) poke[0]).hasMessageContaining((String) poke[4]);
        }
    }

    @Test
    void aDirectoryThatContainsItselfStopsTheWalk() throws IOException {
        for (Path good : List.of(fat16, fat32)) {
            Path image = copy(good, "directory-contains-itself-" + good.getFileName());
            long sub = firstCluster(image, shortEntry(image, "SUB        "));
            setFirstCluster(image, shortEntry(image, "DEEPER     "), sub);
            assertThat(refusal(image)).hasMessageContaining("directory /sub/deeper")
                    .hasMessageContaining("is already part of the tree");
            Path toRoot = copy(good, "directory-contains-the-root-" + good.getFileName());
            setFirstCluster(toRoot, shortEntry(toRoot, "DEEPER     "), 0);
            assertThat(refusal(toRoot)).hasMessageContaining("directory /sub/deeper: is already part of the tree");
        }
    }

    @Test
    void aDirectoryChainThatLoopsListsEachEntryOnceWithAWarning() throws IOException {
        for (Path good : List.of(fat16, fat32)) {
            Path image = copy(good, "directory-chain-loops-" + good.getFileName());
            long first = firstCluster(image, shortEntry(image, "MANY       "));
            long last = first;
            while (fatEntry(image, last) < (good == fat32 ? 0x0FFFFFF8L : 0xFFF8)) {
                last = fatEntry(image, last);
            }
            assertThat(last).isGreaterThan(first + 10);
            setFat(image, last, first);
            List<String> warnings = new ArrayList<>();
            assertThat(list(image, "/many", warnings)).hasSize(200);
            assertThat(warnings).singleElement().asString()
                    .contains("directory /many: its cluster chain comes back to cluster " + first);
        }
    }

    @Test
    void aLongNameWithABadChecksumFallsBackToTheShortName() throws IOException {
        Path image = copy(fat32, "long-name-bad-checksum.img");
        long shortEntry = shortEntry(image, "MIXEDC~1TXT");
        write(image, shortEntry - 32 + 13, 0x5A, 1);
        List<String> warnings = new ArrayList<>();
        assertThat(list(image, "/", warnings)).extracting(FileEntry::name).contains("MIXEDC~1.TXT")
                .doesNotContain("MixedCase.Txt");
        assertThat(warnings).singleElement().asString()
                .contains("long name \"MixedCase.Txt\" has checksum 0x5a", "the short name is used");
    }

    @Test
    void aLongNameRunWithAWrongSequenceNumberFallsBackToTheShortName() throws IOException {
        Path image = copy(fat16, "long-name-bad-order.img");
        long shortEntry = shortEntry(image, "000ENT~1TXT");
        write(image, shortEntry - 64, 0x45, 1);
        List<String> warnings = new ArrayList<>();
        assertThat(list(image, "/many", warnings)).extracting(FileEntry::name).contains("000ENT~1.TXT")
                .doesNotContain("000 entry with a long name.txt").hasSize(200);
        assertThat(warnings).isNotEmpty().allMatch(warning -> warning.startsWith("vfat: directory /many at 0x"));
    }

    @Test
    void anOrphanedLongNameIsDroppedWhenItsShortEntryIsDeleted() throws IOException {
        Path image = copy(fat16, "long-name-orphaned.img");
        write(image, shortEntry(image, "MIXEDC~1TXT"), 0xE5, 1);
        List<String> warnings = new ArrayList<>();
        assertThat(list(image, "/", warnings)).extracting(FileEntry::name).doesNotContain("MixedCase.Txt")
                .contains("big.bin", "sub");
        assertThat(warnings).singleElement().asString()
                .contains("an orphaned long name \"MixedCase.Txt\" is followed by a deleted entry");
    }

    @Test
    void aTruncatedImageIsWarnedAboutAndFailsInOneLineWhereItLacksBytes() throws IOException {
        for (long length : new long[] {600_000, 120_000, 30_000, 4096}) {
            Path image = Hostile.truncated(fat16, "truncated-" + length + ".img", length);
            List<String> warnings = new ArrayList<>();
            ImageException refused = readAll(image, warnings);
            if (length == 600_000) {
                assertThat(refused).as("all files lie in the first 600,000 bytes").isNull();
            } else if (length == 120_000) {
                assertThat(refused).as("the FAT is whole, the root directory gone").isNull();
                String cut = "directory / at 0x%x: cut short".formatted(Geometry.of(fat16).rootStart());
                assertThat(warnings).anyMatch(warning -> warning.contains(cut));
            } else {
                assertThat(refused).as("the FAT is cut at " + length).isNotNull();
                assertThat(refused.getMessage()).startsWith("vfat: FAT at ").doesNotContain("\n");
            }
            assertThat(warnings).anyMatch(warning -> warning.contains("the volume is %d bytes".formatted(length)));
        }
    }
}

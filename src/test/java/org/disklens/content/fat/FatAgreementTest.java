package org.disklens.content.fat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.disklens.content.FileEntry;
import org.disklens.image.ProgressListener;
import org.disklens.io.FileBlockSource;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FAT12, FAT16 and FAT32 volumes made by mkfs.vfat (512- and 4096-byte sectors, 1 to 16 sectors a cluster) and filled
 * by mcopy, read by DiskLens and compared with mdir's listing, mcopy's extraction, the source tree's bytes and mtimes,
 * fsck.fat's counts and an independent reading of the FAT (fat-free-runs.py).
 */
class FatAgreementTest {
    @TempDir
    static Path dir;
    static Path small;
    static Path full;

    /** One image: its file name, the tree it holds, its size and mkfs.vfat's options. */
    record Made(String name, boolean fullTree, long kib, List<String> options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Made> IMAGES = List.of(
            new Made("fat12-512-s1.img", false, 2048, List.of("-F", "12", "-S", "512", "-s", "1", "-n", "SMALL12")),
            new Made("fat12-4096-s8.img", true, 102_400, List.of("-F", "12", "-S", "4096", "-s", "8")),
            new Made("fat16-512-s1.img", true, 30_000, List.of("-F", "16", "-S", "512", "-s", "1", "-n", "MIDDLE")),
            new Made("fat16-4096-s8.img", true, 204_800, List.of("-F", "16", "-S", "4096", "-s", "8")),
            new Made("fat32-512-s1.img", true, 40_000, List.of("-F", "32", "-S", "512", "-s", "1", "-n", "ESP")),
            new Made("fat32-512-s16.img", true, 600_000, List.of("-F", "32", "-S", "512", "-s", "16")),
            new Made("fat32-4096-s1.img", true, 300_000, List.of("-F", "32", "-S", "4096", "-s", "1")));

    @BeforeAll
    static void makeImages() throws IOException {
        Tools.require("mkfs.vfat", "mcopy", "mdir", "fsck.fat", "python3");
        small = FatTrees.make(dir.resolve("small"), false);
        full = FatTrees.make(dir.resolve("full"), true);
        for (Made made : IMAGES) {
            FatTrees.image(dir, made.name(), made.fullTree() ? full : small, made.kib(), made.options().toArray(String[]::new));
        }
    }

    static Stream<Made> images() {
        return IMAGES.stream();
    }

    private static Map<String, FileEntry> walk(FatFileSystem fat) throws IOException {
        Map<String, FileEntry> entries = new LinkedHashMap<>();
        fat.walk(fat.root(), entry -> entries.put(entry.path(), entry), ProgressListener.NONE);
        return entries;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void listingAgreesWithMdir(Made made) throws IOException {
        Map<String, Mtools.Listed> expected = Mtools.mdir(dir, made.name());
        try (FileBlockSource source = FileBlockSource.open(dir.resolve(made.name()))) {
            Map<String, Mtools.Listed> ours = new TreeMap<>();
            for (FileEntry entry : walk(FatFileSystem.open(source)).values()) {
                LocalDateTime minute = LocalDateTime.ofInstant(entry.modified().orElseThrow(), ZoneOffset.UTC)
                        .truncatedTo(ChronoUnit.MINUTES);
                ours.put(entry.path(), new Mtools.Listed(entry.type().label(), entry.size(), minute));
                assertThat(entry.attributes()).isEqualTo(FileEntry.Attributes.NONE);
            }
            assertThat(ours).isEqualTo(expected);
            assertThat(expected).hasSizeGreaterThan(made.fullTree() ? 2000 : 20);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void filesKeepTheSourceMtimeToTwoSeconds(Made made) throws IOException {
        Path tree = made.fullTree() ? full : small;
        try (FileBlockSource source = FileBlockSource.open(dir.resolve(made.name()))) {
            for (FileEntry entry : walk(FatFileSystem.open(source)).values()) {
                if (entry.type() == FileEntry.Type.FILE) {
                    Instant mtime = Files.getLastModifiedTime(tree.resolve(entry.path().substring(1))).toInstant();
                    assertThat(entry.modified()).as(entry.path()).contains(mtime.minusSeconds(mtime.getEpochSecond() % 2));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void everyFileReadsAsMcopyAndTheSourceHaveIt(Made made) throws IOException {
        Path tree = made.fullTree() ? full : small;
        Path theirs = dir.resolve("mcopy-" + made.name());
        Mtools.extractAll(dir, made.name(), theirs);
        try (FileBlockSource source = FileBlockSource.open(dir.resolve(made.name()))) {
            FatFileSystem fat = FatFileSystem.open(source);
            int files = 0;
            for (FileEntry entry : walk(fat).values()) {
                if (entry.type() == FileEntry.Type.FILE) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    fat.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
                    String relative = entry.path().substring(1);
                    assertThat(out.toByteArray()).as(entry.path()).isEqualTo(Files.readAllBytes(extracted(theirs, relative)))
                            .isEqualTo(Files.readAllBytes(tree.resolve(relative)));
                    files++;
                }
            }
            assertThat(files).isGreaterThan(made.fullTree() ? 2000 : 15);
        }
    }

    /** mcopy writes a short name's non-ASCII letters upper case even where mdir shows them lowered (é.txt as É.txt). */
    private static Path extracted(Path root, String relative) throws IOException {
        Path exact = root.resolve(relative);
        if (Files.exists(exact)) {
            return exact;
        }
        try (Stream<Path> siblings = Files.list(exact.getParent())) {
            return siblings.filter(sibling -> sibling.getFileName().toString().equalsIgnoreCase(exact.getFileName().toString()))
                    .findFirst().orElse(exact);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void freeRangesAgreeWithAnIndependentReadingOfTheFatAndWithFsck(Made made) throws IOException {
        String script = Path.of("src/test/resources/org/disklens/content/fat/fat-free-runs.py").toAbsolutePath().toString();
        List<String> expected = Tools.run(dir, "python3", script, made.name()).lines().toList();
        long[] fsck = Mtools.fsckClusters(dir, made.name());
        try (FileBlockSource source = FileBlockSource.open(dir.resolve(made.name()))) {
            FatFileSystem fat = FatFileSystem.open(source);
            List<String> ours = new ArrayList<>();
            long[] free = {0};
            fat.freeRanges((offset, length) -> {
                ours.add(offset + " " + length);
                free[0] += length;
            }, ProgressListener.NONE);
            assertThat(ours).isEqualTo(expected);
            int clusterSize = FatBootSector.parse(source.read(0, 512, java.nio.ByteOrder.LITTLE_ENDIAN)).map(boot ->
                    (int) (boot.sectorSize() * boot.sectorsPerCluster())).orElseThrow();
            assertThat(free[0]).isEqualTo((fsck[1] - fsck[0]) * clusterSize);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void kindAgreesWithFsckAndNothingIsWarnedAbout(Made made) throws IOException {
        int bits = Mtools.fsckEntryBits(dir, made.name());
        try (FileBlockSource source = FileBlockSource.open(dir.resolve(made.name()))) {
            FatFileSystem fat = FatFileSystem.open(source);
            assertThat(fat.kind().bits).isEqualTo(bits);
            assertThat(made.name()).startsWith("fat" + bits);
            walk(fat);
            assertThat(fat.warnings()).isEmpty();
        }
    }

    /** The window lists while it extracts: four threads walking and reading one file system see what one thread sees. */
    @org.junit.jupiter.api.Test
    void severalThreadsReadingAtOnceSeeWhatOneThreadSees() throws Exception {
        try (FileBlockSource source = FileBlockSource.open(dir.resolve("fat16-512-s1.img"))) {
            FatFileSystem fat = FatFileSystem.open(source);
            Map<String, Integer> alone = digests(fat);
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                List<java.util.concurrent.Future<Map<String, Integer>>> runs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    runs.add(pool.submit(() -> digests(fat)));
                }
                for (var run : runs) {
                    assertThat(run.get()).isEqualTo(alone);
                }
            }
        }
    }

    private static Map<String, Integer> digests(FatFileSystem fat) throws IOException {
        Map<String, Integer> digests = new TreeMap<>();
        for (FileEntry entry : walk(fat).values()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (entry.type() == FileEntry.Type.FILE) {
                fat.copy(entry, Channels.newChannel(out), ProgressListener.NONE);
            }
            digests.put(entry.path(), java.util.Arrays.hashCode(out.toByteArray()));
        }
        return digests;
    }

    /**
     * mkfs.vfat -F 32 makes FAT32 volumes with fewer clusters than fatgen103's minimum; Linux and fsck.fat read them
     * as FAT32 by their BPB (mtools, going by the count, cannot read them at all, so this one stays empty).
     */
    @org.junit.jupiter.api.Test
    void aFat32WithFewClustersIsReadAsFsckReadsItWithAWarning() throws IOException {
        Tools.run(dir, "mkfs.vfat", "-C", "-F", "32", "-S", "4096", "-s", "8", "few-clusters.img", "65536");
        assertThat(Mtools.fsckEntryBits(dir, "few-clusters.img")).isEqualTo(32);
        long[] fsck = Mtools.fsckClusters(dir, "few-clusters.img");
        try (FileBlockSource source = FileBlockSource.open(dir.resolve("few-clusters.img"))) {
            FatFileSystem fat = FatFileSystem.open(source);
            assertThat(fat.kind()).isEqualTo(FatKind.FAT32);
            assertThat(fat.list(fat.root())).isEmpty();
            assertThat(fat.warnings()).singleElement().asString().contains("FAT32 with only " + fsck[1] + " clusters");
            long[] free = {0};
            fat.freeRanges((offset, length) -> free[0] += length, ProgressListener.NONE);
            assertThat(free[0]).isEqualTo((fsck[1] - fsck[0]) * 32768);
        }
    }
}

package org.disklens.content.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * A FAT12, FAT16 or FAT32 file system, read-only (see the package documentation): directories are read whole (at
 * most 2 MiB, as fatgen103 and Linux allow) and parsed into VFAT or 8.3 names; files map onto runs of contiguous
 * clusters, followed through a cached FAT.
 */
public final class FatFileSystem implements FileSystem {
    /** fatgen103: a directory holds at most 65,536 entries of 32 bytes; Linux refuses longer ones too. */
    static final long MAX_DIRECTORY_BYTES = 65536L * ShortEntry.SIZE;
    static final int MAX_WARNINGS = 100;
    /** Run lists of recently read files, bounded by their total number of runs (8 bytes each: 8 MiB). */
    static final long MAX_CACHED_RUNS = ClusterRuns.MAX_RUNS;

    /** What an entry's handle is: its first cluster; the root directory is marked as such. */
    record Chain(long firstCluster, boolean root) {
    }

    private record RunsKey(long firstCluster, long clusters) {
    }

    private final BlockSource volume;
    private final FatLayout layout;
    private final FatTable fat;
    private final FileEntry root;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<RunsKey, ClusterRuns> runs = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedRuns;

    private FatFileSystem(BlockSource volume, FatLayout layout) {
        this.volume = volume;
        this.layout = layout;
        this.fat = new FatTable(volume, layout);
        this.root = new FileEntry("", "/", FileEntry.Type.DIRECTORY, 0, Optional.empty(), Optional.empty(),
                FileEntry.Attributes.NONE, 0, new Chain(layout.rootCluster(), true));
    }

    /** Opens the FAT file system whose boot sector starts {@code volume}. */
    public static FatFileSystem open(BlockSource volume) throws IOException {
        if (volume.size() < 512) {
            throw new UnsupportedFeature(FatLayout.NAMING, "boot sector", 0, "the volume is smaller than a sector");
        }
        FatBootSector boot = FatBootSector.parse(volume.read(0, 512, ByteOrder.LITTLE_ENDIAN)).orElseThrow(() ->
                new UnsupportedFeature(FatLayout.NAMING, "boot sector", 0, "no FAT boot sector (0x55AA and a FAT type)"));
        FatLayout layout = FatLayout.of(boot);
        FatFileSystem fileSystem = new FatFileSystem(volume, layout);
        layout.warnings(volume.size()).forEach(fileSystem::warn);
        fileSystem.checkShutdownFlags();
        return fileSystem;
    }

    private boolean uncleanShutdown;

    /** FAT16/32 keep "clean shutdown" and "no disk error" bits in FAT[1] (fatgen103); Windows clears them while mounted. */
    private void checkShutdownFlags() throws IOException {
        long clean = switch (layout.kind()) {
            case FAT12 -> 0;
            case FAT16 -> 0x8000;
            case FAT32 -> 0x08000000;
        };
        if (clean == 0) {
            return;
        }
        try {
            int flags = fat.cursor().entry(1);
            if ((flags & clean) == 0) {
                uncleanShutdown = true;
                warn("%s: FAT entry 1: the volume was not unmounted cleanly".formatted(FatLayout.NAMING));
            }
            if ((flags & clean >>> 1) == 0) {
                warn("%s: FAT entry 1: a disk error was recorded on this volume".formatted(FatLayout.NAMING));
            }
        } catch (CorruptImage unreadable) {
            warn(unreadable.getMessage());
        }
    }

    public FatKind kind() {
        return layout.kind();
    }

    @Override
    public String naming() {
        return FatLayout.NAMING;
    }

    @Override
    public BlockSource volume() {
        return volume;
    }

    @Override
    public FileEntry root() {
        return root;
    }

    @Override
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    private void warn(String warning) {
        synchronized (warnings) {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(warning);
            }
        }
    }

    // ---- directories ----

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        Chain chain = (Chain) directory.handle();
        String where = "directory " + directory.path();
        DirectoryBytes bytes = chain.root() && layout.kind() != FatKind.FAT32 ? fixedRoot(where)
                : chainBytes(chain.root() ? layout.rootCluster() : chain.firstCluster(), where);
        DirectoryParser parser = new DirectoryParser(layout.kind() == FatKind.FAT32, where, this::warn);
        List<DirectoryParser.Named> found = parser.parse(bytes.data(), bytes::slotOffset);
        List<FileEntry> entries = new ArrayList<>(found.size());
        for (DirectoryParser.Named named : found) {
            entries.add(entry(named, directory.path()));
        }
        return entries;
    }

    private FileEntry entry(DirectoryParser.Named named, String parentPath) {
        ShortEntry entry = named.entry();
        String path = FileEntry.childPath(parentPath, named.name());
        long cluster = entry.firstCluster();
        if (!entry.directory()) {
            return new FileEntry(named.name(), path, FileEntry.Type.FILE, entry.size(), entry.modified(), Optional.empty(),
                    FileEntry.Attributes.NONE, cluster, new Chain(cluster, false));
        }
        // Cluster 0 (and FAT32's root cluster) is the root: a walk then sees the root again and stops there.
        boolean isRoot = cluster == 0 || cluster == layout.rootCluster();
        return new FileEntry(named.name(), path, FileEntry.Type.DIRECTORY, 0, entry.modified(), Optional.empty(),
                FileEntry.Attributes.NONE, isRoot ? 0 : cluster, new Chain(cluster, isRoot));
    }

    /** A directory's bytes and where each of its clusters is in the volume (the fixed root: one piece). */
    private record DirectoryBytes(ByteBuffer data, long[] pieceOffsets, int pieceSize) {
        long slotOffset(int slot) {
            long at = (long) slot * ShortEntry.SIZE;
            return pieceOffsets[(int) (at / pieceSize)] + at % pieceSize;
        }
    }

    /** FAT12/16's root: {@code BPB_RootEntCnt} entries right after the FATs. */
    private DirectoryBytes fixedRoot(String where) throws IOException {
        long length = (long) layout.rootEntries() * ShortEntry.SIZE;
        long available = Math.max(0, Math.min(length, volume.size() - layout.rootOffset()));
        if (available < length) {
            warn("%s: %s at 0x%x: cut short by the end of the volume".formatted(naming(), where, layout.rootOffset()));
        }
        ByteBuffer data = available == 0 ? ByteBuffer.allocate(0)
                : volume.read(layout.rootOffset(), (int) available, ByteOrder.LITTLE_ENDIAN);
        return new DirectoryBytes(data, new long[] {layout.rootOffset()}, (int) Math.max(length, 1));
    }

    /**
     * A directory kept in a cluster chain, followed to its end: a loop, a chain longer than a directory may be, a
     * free, bad or reserved entry, or a cluster past the volume stops it there, with a warning (a partial listing).
     */
    private DirectoryBytes chainBytes(long first, String where) throws IOException {
        List<Long> clusters = chainOfDirectory(first, where);
        int clusterSize = layout.clusterSize();
        int readable = 0;
        while (readable < clusters.size() && layout.clusterOffset(clusters.get(readable)) + clusterSize <= volume.size()) {
            readable++;
        }
        if (readable < clusters.size()) {
            warn("%s: %s: cluster %d lies past the end of the volume".formatted(naming(), where, clusters.get(readable)));
        }
        ByteBuffer data = ByteBuffer.allocate(readable * clusterSize).order(ByteOrder.LITTLE_ENDIAN);
        long[] offsets = new long[readable];
        for (int i = 0; i < readable; ) {
            int run = 1;
            while (i + run < readable && clusters.get(i + run) == clusters.get(i) + run) {
                run++;
            }
            for (int j = 0; j < run; j++) {
                offsets[i + j] = layout.clusterOffset(clusters.get(i + j));
            }
            volume.read(offsets[i], data.slice(i * clusterSize, run * clusterSize));
            i += run;
        }
        return new DirectoryBytes(data, offsets, clusterSize);
    }

    private List<Long> chainOfDirectory(long first, String where) throws IOException {
        List<Long> clusters = new ArrayList<>();
        if (first < 2 || first > layout.lastCluster()) {
            warn("%s: %s: first cluster %d is outside clusters 2 to %d".formatted(naming(), where, first,
                    layout.lastCluster()));
            return clusters;
        }
        long maxClusters = Math.max(1, MAX_DIRECTORY_BYTES / layout.clusterSize());
        Set<Long> seen = new HashSet<>();
        FatTable.Cursor cursor = fat.cursor();
        for (long cluster = first; ; ) {
            if (!seen.add(cluster)) {
                warn("%s: %s: its cluster chain comes back to cluster %d (a loop); listed up to there"
                        .formatted(naming(), where, cluster));
                return clusters;
            }
            clusters.add(cluster);
            long value = cursor.entry(cluster);
            FatKind.Entry meaning = layout.kind().classify(value, layout.lastCluster());
            if (meaning == FatKind.Entry.END) {
                return clusters;
            }
            if (meaning != FatKind.Entry.NEXT) {
                warn("%s: %s: FAT entry of cluster %d at 0x%x: %s; listed up to there".formatted(naming(), where, cluster,
                        fat.entryPosition(cluster), ClusterRuns.describe(meaning, value)));
                return clusters;
            }
            if (clusters.size() >= maxClusters) {
                warn("%s: %s: longer than %d bytes, the most a directory may hold; listed up to there"
                        .formatted(naming(), where, MAX_DIRECTORY_BYTES));
                return clusters;
            }
            cluster = value;
        }
    }

    // ---- files ----

    @Override
    public Mapping map(FileEntry file, long fileOffset, long maxLength) throws IOException {
        Chain chain = (Chain) file.handle();
        String what = "file " + file.path();
        if (chain.firstCluster() == 0) {
            throw new CorruptImage(naming(), what, -1, "has %d bytes but no cluster".formatted(file.size()));
        }
        long clusterSize = layout.clusterSize();
        ClusterRuns chainRuns = runs(chain.firstCluster(), Math.ceilDiv(file.size(), clusterSize), what);
        long index = fileOffset / clusterSize;
        long intoCluster = fileOffset % clusterSize;
        int run = chainRuns.runOf(index);
        long leftInRun = chainRuns.clustersLeftInRun(run, index) * clusterSize - intoCluster;
        long length = Math.min(maxLength, Math.min(leftInRun, file.size() - fileOffset));
        return new Mapping.Data(volume, layout.clusterOffset(chainRuns.clusterAt(run, index)) + intoCluster, length);
    }

    /** A file's runs, from the cache or followed now (outside the lock: two readers may follow the same chain). */
    private ClusterRuns runs(long first, long clusters, String what) throws IOException {
        RunsKey key = new RunsKey(first, clusters);
        synchronized (runs) {
            ClusterRuns cached = runs.get(key);
            if (cached != null) {
                return cached;
            }
        }
        ClusterRuns followed = ClusterRuns.follow(fat, layout.lastCluster(), first, clusters, what);
        synchronized (runs) {
            if (runs.putIfAbsent(key, followed) == null) {
                cachedRuns += followed.count();
                var eldest = runs.entrySet().iterator();
                while (cachedRuns > MAX_CACHED_RUNS && runs.size() > 1) {
                    cachedRuns -= eldest.next().getValue().count();
                    eldest.remove();
                }
            }
        }
        return followed;
    }

    // ---- free space ----

    /** Clusters whose FAT entry is 0, as byte runs of the data region; the FAT is read a chunk at a time. */
    @Override
    public void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        if (uncleanShutdown) {
            throw new UnsupportedFeature(FatLayout.NAMING, "FAT entry 1", -1,
                    "the volume was not unmounted cleanly, so its FAT may be out of date; the free space is not trusted");
        }
        long last = layout.lastCluster();
        long freeStart = -1;
        for (long chunk = 0; chunk * FatTable.CHUNK_ENTRIES <= last; chunk++) {
            progress.checkCancelled();
            int[] entries = fat.chunk(chunk);
            long base = chunk * FatTable.CHUNK_ENTRIES;
            for (int i = 0; i < entries.length; i++) {
                long cluster = base + i;
                if (cluster < 2) {
                    continue;
                }
                if (entries[i] == 0 && freeStart < 0) {
                    freeStart = cluster;
                } else if (entries[i] != 0 && freeStart >= 0) {
                    emit(sink, freeStart, cluster);
                    freeStart = -1;
                }
            }
            progress.progress(Math.min(base + entries.length, last + 1) - 2, layout.clusterCount());
        }
        if (freeStart >= 0) {
            emit(sink, freeStart, last + 1);
        }
    }

    private void emit(RangeSink sink, long firstCluster, long endCluster) throws IOException {
        sink.accept(layout.clusterOffset(firstCluster), (endCluster - firstCluster) * layout.clusterSize());
    }
}

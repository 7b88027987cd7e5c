package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.MemoryBlockSource;

/**
 * An NTFS volume, read-only: the tree from the root directory's {@code $I30} index, files' bytes from their
 * {@code $DATA} runs (sparse, compressed, resident), free space from {@code $Bitmap}. What is listed and how follows
 * ntfs-3g's mount (see the package documentation).
 */
public final class NtfsFileSystem implements FileSystem {
    static final long ROOT_RECORD = 5;
    static final long BITMAP_RECORD = 6;
    /** Records below 16 are NTFS's own metadata files ($MFT ... $Extend): hidden, as ntfs-3g hides them. */
    static final long FIRST_USER_RECORD = 16;
    static final int MAX_WARNINGS = 100;
    static final int VOLUME_DIRTY = 0x1;
    /** ntfs-3g reads an Interix link of at most 8 + 2 * PATH_MAX bytes. */
    static final int MAX_INTERIX = 8 + 2 * 4096;
    static final int MAX_REPARSE = 16 << 10;
    static final int MAX_INDEX_BITMAP = 1 << 20;
    static final String EFS_REFUSAL = "encrypted with EFS; DiskLens does not decrypt it";
    private static final int BITMAP_PIECE = 64 << 10;

    private final BlockSource volume;
    private final Geometry geometry;
    private final Mft mft;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final FileEntry root;

    /** What {@link FileEntry#handle()} holds: the record, and the bytes {@link #map} answers (or why it refuses). */
    record Handle(long record, Optional<DataStream> stream, Optional<String> refusal) {
    }

    private NtfsFileSystem(BlockSource volume, Geometry geometry, Mft mft, List<String> openWarnings) throws IOException {
        this.volume = volume;
        this.geometry = geometry;
        this.mft = mft;
        openWarnings.forEach(this::warn);
        dirtyVolume().ifPresent(this::warn);
        List<FileEntry> root = entries("", "/", ROOT_RECORD);
        if (!root.getFirst().directory()) {
            throw new CorruptImage(Geometry.NAMING, "MFT record 5 (root directory)", -1, "it is not a directory");
        }
        this.root = root.getFirst();
    }

    public static NtfsFileSystem open(BlockSource volume) throws IOException {
        if (volume.size() < 512) {
            throw new CorruptImage(Geometry.NAMING, "boot sector", 0, "the volume has only %d bytes".formatted(volume.size()));
        }
        NtfsBootSector boot = NtfsBootSector.parse(volume.read(0, 512, ByteOrder.LITTLE_ENDIAN))
                .orElseThrow(() -> new CorruptImage(Geometry.NAMING, "boot sector", 0, "no NTFS signature"));
        Geometry geometry = Geometry.of(boot);
        List<String> openWarnings = new ArrayList<>();
        Mft mft = Mft.open(volume, geometry, openWarnings::add);
        return new NtfsFileSystem(volume, geometry, mft, openWarnings);
    }

    /**
     * $Volume's {@code $VOLUME_INFORMATION} (8 reserved bytes, major and minor version, flags): bit 0 marks a volume
     * not cleanly unmounted, whose journal Windows would replay and check before use.
     */
    private Optional<String> dirtyVolume() {
        try {
            for (Attribute attribute : mft.record(NtfsType.VOLUME_RECORD).attributes()) {
                if (attribute.type() == MftRecord.VOLUME_INFORMATION && attribute.resident() && attribute.value().length >= 12
                        && (attribute.value()[10] & VOLUME_DIRTY) != 0) {
                    return Optional.of("%s: $Volume: the volume is marked dirty (not cleanly unmounted: Windows would replay its journal and check it); files being written then may be incomplete"
                            .formatted(Geometry.NAMING));
                }
            }
        } catch (IOException unreadable) {
            return Optional.of("%s: $Volume: unreadable, so whether it was cleanly unmounted is unknown: %s"
                    .formatted(Geometry.NAMING, unreadable.getMessage()));
        }
        return Optional.empty();
    }

    @Override
    public String naming() {
        return Geometry.NAMING;
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

    // ---- listing ----

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        long number = ((Handle) directory.handle()).record();
        AttributeSet attributes = AttributeSet.of(mft.attributes(mft.record(number)));
        String where = "directory " + directory.path();
        Attribute rootAttribute = attributes.indexRoot()
                .orElseThrow(() -> new CorruptImage(Geometry.NAMING, where, -1, "it has no $I30 index root"));
        if (!rootAttribute.resident()) {
            throw new CorruptImage(Geometry.NAMING, where, rootAttribute.volumeOffset(), "its index root is not resident");
        }
        IndexRoot indexRoot = IndexRoot.parse(rootAttribute.value(), where, rootAttribute.volumeOffset());
        if (indexRoot.attributeType() != MftRecord.FILE_NAME) {
            throw new CorruptImage(Geometry.NAMING, where, rootAttribute.volumeOffset(),
                    "its $I30 index holds attribute type 0x%x, not file names".formatted(indexRoot.attributeType()));
        }
        Optional<DataStream> allocation = chain(attributes.indexAllocation());
        Optional<DataStream> bitmapStream = chain(attributes.indexBitmap());
        Optional<byte[]> bitmap = bitmapStream.isPresent()
                ? Optional.of(bitmapStream.get().readAll(volume, MAX_INDEX_BITMAP)) : Optional.empty();
        List<FileEntry> entries = new ArrayList<>();
        new DirectoryIndex(volume, geometry, indexRoot, allocation, bitmap, where, this::warn).walk(entry -> {
            FileName key = entry.key().orElseThrow();
            long child = FileReference.number(entry.reference());
            if (key.dosOnly() || child < FIRST_USER_RECORD || child == number) {
                return;
            }
            try {
                entries(key.name(), FileEntry.childPath(directory.path(), key.name()), child, entries);
            } catch (ImageException damaged) {
                warn("%s: %s: entry '%s' (MFT record %d) is left out: %s".formatted(Geometry.NAMING, where, key.name(),
                        child, damaged.getMessage()));
            }
        });
        return entries;
    }

    private List<FileEntry> entries(String name, String path, long number) throws IOException {
        List<FileEntry> entries = new ArrayList<>(1);
        entries(name, path, number, entries);
        return entries;
    }

    /** Adds the entry of record {@code number} under {@code name}, then one FILE entry per named data stream. */
    private void entries(String name, String path, long number, List<FileEntry> entries) throws IOException {
        MftRecord record = mft.record(number);
        if (!record.inUse() || record.baseRecord() != 0) {
            throw new CorruptImage(Geometry.NAMING, "MFT record " + number, record.volumeOffset(), record.inUse()
                    ? "it is an extension of record %d, not a file".formatted(record.baseRecord()) : "it is not in use");
        }
        AttributeSet attributes = AttributeSet.of(mft.attributes(record));
        Optional<StandardInformation> information = attributes.standardInformation().isPresent()
                ? Optional.of(StandardInformation.parse(attributes.standardInformation().get().value(), "MFT record " + number))
                : Optional.empty();
        int flags = information.map(StandardInformation::fileAttributes).orElse(0);
        Optional<Instant> modified = information.map(info -> StandardInformation.time(info.modified()));
        boolean efs = (flags & StandardInformation.ENCRYPTED) != 0 || attributes.efsStream();
        FileEntry.Attributes facts = new FileEntry.Attributes(OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.of(record.linkCount()), OptionalLong.of(number));
        Optional<DataStream> data = chain(attributes.dataStreams().getOrDefault("", List.of()));

        Kind kind = kind(record, attributes, flags, data);
        Optional<String> refusal = efs || data.map(DataStream::encrypted).orElse(false) ? Optional.of(EFS_REFUSAL)
                : kind.refusal();
        entries.add(switch (kind.type()) {
            case DIRECTORY -> {
                Optional<DataStream> index = chain(attributes.indexAllocation());
                yield new FileEntry(name, path, FileEntry.Type.DIRECTORY, index.map(DataStream::size).orElse(0L), modified,
                        Optional.empty(), facts, number, new Handle(number, index, Optional.empty()));
            }
            case SYMLINK -> {
                byte[] target = kind.target().orElseThrow().getBytes(StandardCharsets.UTF_8);
                yield new FileEntry(name, path, FileEntry.Type.SYMLINK, target.length, modified, kind.target(), facts, number,
                        new Handle(number, Optional.of(DataStream.ofBytes("link target", target)), Optional.empty()));
            }
            case OTHER -> new FileEntry(name, path, FileEntry.Type.OTHER, 0, modified, Optional.empty(), facts, number,
                    new Handle(number, Optional.empty(), Optional.empty()));
            case FILE -> new FileEntry(name, path, FileEntry.Type.FILE, data.map(DataStream::size).orElse(0L), modified,
                    Optional.empty(), facts, number, new Handle(number, data, refusal));
        });
        for (Map.Entry<String, List<Attribute>> named : attributes.dataStreams().entrySet()) {
            if (named.getKey().isEmpty()) {
                continue;
            }
            DataStream stream = DataStream.of(named.getValue(), geometry);
            Optional<String> streamRefusal = efs || stream.encrypted() ? Optional.of(EFS_REFUSAL) : Optional.empty();
            entries.add(new FileEntry(name + ":" + named.getKey(), path + ":" + named.getKey(), FileEntry.Type.FILE,
                    stream.size(), modified, Optional.empty(), facts, number,
                    new Handle(number, Optional.of(stream), streamRefusal)));
        }
    }

    /** The stream of an attribute chain, if there is one. */
    private Optional<DataStream> chain(List<Attribute> chain) throws ImageException {
        return chain.isEmpty() ? Optional.empty() : Optional.of(DataStream.of(chain, geometry));
    }

    /** What a record is, as ntfs-3g decides it; {@code refusal} says why its data cannot be read. */
    private record Kind(FileEntry.Type type, Optional<String> target, Optional<String> refusal) {
        static Kind of(FileEntry.Type type) {
            return new Kind(type, Optional.empty(), Optional.empty());
        }
    }

    /**
     * A reparse point that is a link (symbolic link, junction, WSL link) makes a symlink, a WSL special file an
     * "other"; a directory (the record's index flag) is a directory; a system file may be an Interix FIFO (empty),
     * socket (one byte), device or symlink ({@code IntxLNK\1} and the target in UTF-16).
     */
    private Kind kind(MftRecord record, AttributeSet attributes, int flags, Optional<DataStream> data) throws IOException {
        Optional<DataStream> reparseStream = chain(attributes.reparsePoint());
        if (reparseStream.isPresent()) {
            ReparsePoint reparse = ReparsePoint.parse(reparseStream.get().readAll(volume, MAX_REPARSE),
                    "MFT record " + record.number());
            Optional<String> target = reparse.linkTarget();
            if (target.isPresent()) {
                return new Kind(FileEntry.Type.SYMLINK, target, Optional.empty());
            }
            if (reparse.wslSpecialFile()) {
                return Kind.of(FileEntry.Type.OTHER);
            }
            if (reparse.dataKeptElsewhere() && !record.directory()) {
                return new Kind(FileEntry.Type.FILE, Optional.empty(), Optional.of(
                        "its data is kept by Windows outside it (reparse tag 0x%08x: WOF compression, deduplication or a cloud placeholder); DiskLens does not read it"
                                .formatted(reparse.tag())));
            }
        }
        if (record.directory()) {
            return Kind.of(FileEntry.Type.DIRECTORY);
        }
        if ((flags & StandardInformation.SYSTEM) != 0 && data.isPresent()) {
            return interix(data.get(), flags);
        }
        return Kind.of(FileEntry.Type.FILE);
    }

    private Kind interix(DataStream data, int flags) throws IOException {
        long size = data.size();
        if ((flags & StandardInformation.HIDDEN) == 0 && size <= 1) {
            return Kind.of(FileEntry.Type.OTHER);
        }
        if (size <= 8 || size > MAX_INTERIX || data.encrypted()) {
            return Kind.of(FileEntry.Type.FILE);
        }
        byte[] bytes = data.readAll(volume, MAX_INTERIX);
        String magic = new String(bytes, 0, 8, StandardCharsets.ISO_8859_1);
        if (magic.equals("IntxLNK\1")) {
            String target = new String(bytes, 8, (bytes.length - 8) & ~1, StandardCharsets.UTF_16LE);
            return new Kind(FileEntry.Type.SYMLINK, Optional.of(target), Optional.empty());
        }
        if ((magic.equals("IntxBLK\0") || magic.equals("IntxCHR\0")) && size == 24) {
            return Kind.of(FileEntry.Type.OTHER);
        }
        return Kind.of(FileEntry.Type.FILE);
    }

    // ---- reading ----

    @Override
    public Mapping map(FileEntry file, long fileOffset, long maxLength) throws IOException {
        Handle handle = (Handle) file.handle();
        if (handle.refusal().isPresent()) {
            throw new UnsupportedFeature(Geometry.NAMING, "file " + file.path(), -1, handle.refusal().get());
        }
        if (handle.stream().isEmpty()) {
            return new Mapping.Zero(maxLength);
        }
        return handle.stream().get().map(volume, fileOffset, maxLength);
    }

    // ---- free space ----

    /** The clusters clear in $Bitmap (record 6), one bit per cluster, least significant bit first. */
    @Override
    public void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        if (dirtyVolume().isPresent()) {
            throw new UnsupportedFeature(Geometry.NAMING, "$Volume", -1, "the volume was not unmounted cleanly (or "
                    + "that cannot be read), so $Bitmap may be out of date; the free space is not trusted");
        }
        AttributeSet attributes = AttributeSet.of(mft.attributes(mft.record(BITMAP_RECORD)));
        DataStream bitmap = chain(attributes.dataStreams().getOrDefault("", List.of()))
                .orElseThrow(() -> new CorruptImage(Geometry.NAMING, "$Bitmap", -1, "it has no $DATA"));
        long clusters = geometry.clusterCount();
        if (bitmap.size() < (clusters + 7) / 8) {
            throw new CorruptImage(Geometry.NAMING, "$Bitmap", -1, "its %d bytes do not cover the volume's %d clusters"
                    .formatted(bitmap.size(), clusters));
        }
        FreeRuns runs = new FreeRuns(sink, geometry.clusterSize(), clusters);
        byte[] piece = new byte[BITMAP_PIECE];
        for (long cluster = 0; cluster < clusters; cluster += 8L * BITMAP_PIECE) {
            progress.checkCancelled();
            int length = (int) Math.min(BITMAP_PIECE, (clusters - cluster + 7) / 8);
            bitmap.read(volume, cluster / 8, ByteBuffer.wrap(piece, 0, length));
            runs.scan(piece, length, cluster);
            progress.progress(cluster, clusters);
        }
        runs.finish();
        progress.progress(clusters, clusters);
    }

    /** Turns bits into merged runs of free clusters. */
    private static final class FreeRuns {
        private final RangeSink sink;
        private final long clusterSize;
        private final long clusters;
        private long start = -1;

        FreeRuns(RangeSink sink, long clusterSize, long clusters) {
            this.sink = sink;
            this.clusterSize = clusterSize;
            this.clusters = clusters;
        }

        void scan(byte[] bits, int length, long firstCluster) throws IOException {
            for (int i = 0; i < length; i++) {
                long cluster = firstCluster + 8L * i;
                int value = bits[i] & 0xFF;
                if (value == 0 && cluster + 8 <= clusters) {
                    free(cluster);
                } else if (value == 0xFF) {
                    used(cluster);
                } else {
                    for (int bit = 0; bit < 8 && cluster + bit < clusters; bit++) {
                        if ((value & (1 << bit)) == 0) {
                            free(cluster + bit);
                        } else {
                            used(cluster + bit);
                        }
                    }
                }
            }
        }

        private void free(long cluster) {
            if (start < 0) {
                start = cluster;
            }
        }

        private void used(long cluster) throws IOException {
            if (start >= 0) {
                sink.accept(start * clusterSize, (cluster - start) * clusterSize);
                start = -1;
            }
        }

        void finish() throws IOException {
            used(clusters);
        }
    }
}

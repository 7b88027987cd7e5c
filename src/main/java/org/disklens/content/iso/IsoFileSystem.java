package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.FileEntry;
import org.disklens.content.FileExtents;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.UnsupportedFeature;
import org.disklens.content.iso.DirectoryRecord;
import org.disklens.content.iso.VolumeDescriptors;
import org.disklens.io.BlockSource;

/**
 * The file tree of an ISO 9660 volume, named by Rock Ridge where the volume has it, else by Joliet, else by
 * ISO 9660 identifiers (without {@code ;1}). Multi-extent files are joined; interleaved ones are listed but
 * not copied. Rock Ridge relocations (CL/RE) are followed so deep trees appear where they belong.
 */
public final class IsoFileSystem implements FileSystem {
    /** A single directory's records may take at most this much. */
    static final long MAX_DIRECTORY_BYTES = 64L << 20;
    private static final FileExtents NO_EXTENTS = new FileExtents(List.of());

    private final BlockSource source;
    private final VolumeDescriptors.Primary volume;
    private final String naming;
    private final int suspSkip;
    private final FileEntry root;
    private final List<String> warnings = new ArrayList<>();

    private IsoFileSystem(BlockSource source, VolumeDescriptors.Primary volume, String naming, int suspSkip) throws IOException {
        this.source = source;
        this.volume = volume;
        this.naming = naming;
        this.suspSkip = suspSkip;
        DirectoryRecord record = volume.root();
        this.root = directory("", "/", record.dataLength(), record.recorded().map(time -> time.toInstant()),
                record.extentLba() * volume.blockSize(), record.extentLba());
    }

    /** The tree with the best names the volume offers: Rock Ridge, then Joliet, then ISO 9660. */
    public static IsoFileSystem open(BlockSource source) throws IOException {
        VolumeDescriptors descriptors = VolumeDescriptors.read(source);
        Optional<Integer> rockRidgeSkip = VolumeDescriptors.rockRidgeSkip(source, descriptors.primary());
        if (rockRidgeSkip.isPresent()) {
            return new IsoFileSystem(source, descriptors.primary(), "rock-ridge", rockRidgeSkip.get());
        }
        if (descriptors.joliet().isPresent()) {
            return new IsoFileSystem(source, descriptors.joliet().get(), "joliet", -1);
        }
        return new IsoFileSystem(source, descriptors.primary(), "iso9660", -1);
    }

    @Override
    public String naming() {
        return naming;
    }

    @Override
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Damage found beside this tree (a UDF tree that could not be read in its place). */
    void warn(String warning) {
        warnings.add(warning);
    }

    @Override
    public FileEntry root() {
        return root;
    }

    @Override
    public BlockSource volume() {
        return source;
    }

    @Override
    public Mapping map(FileEntry file, long fileOffset, long maxLength) {
        return ((FileExtents) file.handle()).map(source, fileOffset, maxLength);
    }

    /** A directory's entry: its records are one extent, and its first block identifies it in a walk. */
    private static FileEntry directory(String name, String path, long length, Optional<java.time.Instant> modified,
                                       long volumeOffset, long lba) {
        var extents = new FileExtents(List.of(new FileExtents.Extent(volumeOffset, length, false)));
        return new FileEntry(name, path, FileEntry.Type.DIRECTORY, length, modified, Optional.empty(),
                FileEntry.Attributes.NONE, lba, extents);
    }

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        FileExtents.Extent extent = ((FileExtents) directory.handle()).extents().getFirst();
        if (extent.length() > MAX_DIRECTORY_BYTES) {
            throw new LimitExceeded("iso", "directory " + directory.path(), extent.volumeOffset(),
                    "%d bytes of records exceed the limit of %d".formatted(extent.length(), MAX_DIRECTORY_BYTES));
        }
        if (extent.volumeOffset() < 0 || extent.volumeOffset() > source.size() - extent.length()) {
            throw new CorruptImage("iso", "directory " + directory.path(), extent.volumeOffset(),
                    "its records lie past the end of the image (0x%x)".formatted(source.size()));
        }
        ByteBuffer records = source.read(extent.volumeOffset(), (int) extent.length(), ByteOrder.LITTLE_ENDIAN);
        List<FileEntry> entries = new ArrayList<>();
        List<DirectoryRecord> pendingExtents = new ArrayList<>();
        int at = 0;
        while (at < records.limit()) {
            Optional<DirectoryRecord> parsed = DirectoryRecord.parse(records.slice(at, records.limit() - at)
                    .order(ByteOrder.LITTLE_ENDIAN), extent.volumeOffset() + at, volume.ucs2());
            if (parsed.isEmpty()) {
                at = nextSector(at);
                continue;
            }
            DirectoryRecord record = parsed.get();
            at += record.length();
            if (record.self() || record.parent()) {
                continue;
            }
            pendingExtents.add(record);
            if (!record.multiExtent()) {
                entry(directory, pendingExtents).ifPresent(entries::add);
                pendingExtents = new ArrayList<>();
            }
        }
        return entries;
    }

    private int nextSector(int at) {
        int sector = volume.blockSize();
        return (at / sector + 1) * sector;
    }

    /** One entry from its records (several for a multi-extent file); empty for a relocated directory's original. */
    private Optional<FileEntry> entry(FileEntry parent, List<DirectoryRecord> records) throws IOException {
        DirectoryRecord last = records.getLast();
        RockRidge rockRidge = suspSkip >= 0
                ? RockRidge.read(records.getFirst().systemUse(), suspSkip, source, volume.blockSize()) : RockRidge.NONE;
        if (rockRidge.relocated()) {
            return Optional.empty();
        }
        String name = rockRidge.name().orElse(last.identifier());
        String path = FileEntry.childPath(parent.path(), name);
        var modified = rockRidge.modified().or(() -> last.recorded().map(time -> time.toInstant()));
        if (rockRidge.childLink().isPresent()) {
            return Optional.of(relocatedDirectory(name, path, rockRidge.childLink().get(), modified));
        }
        if (rockRidge.isSymlink()) {
            return Optional.of(new FileEntry(name, path, FileEntry.Type.SYMLINK, rockRidge.symlinkTarget().orElse("").length(),
                    modified, rockRidge.symlinkTarget(), FileEntry.Attributes.NONE, -1, NO_EXTENTS));
        }
        if (last.directory()) {
            return Optional.of(directory(name, path, last.dataLength(), modified, last.extentLba() * volume.blockSize(),
                    last.extentLba()));
        }
        List<FileExtents.Extent> extents = new ArrayList<>();
        long size = 0;
        for (DirectoryRecord record : records) {
            if (record.interleaved()) {
                throw new UnsupportedFeature("iso", "file " + path, record.extentLba() * volume.blockSize(),
                        "is interleaved (file unit size %d, gap %d), which DiskLens does not read"
                                .formatted(record.fileUnitSize(), record.interleaveGap()));
            }
            extents.add(new FileExtents.Extent(record.extentLba() * volume.blockSize(), record.dataLength(), false));
            size += record.dataLength();
        }
        return Optional.of(new FileEntry(name, path, FileEntry.Type.FILE, size, modified, Optional.empty(),
                FileEntry.Attributes.NONE, -1, new FileExtents(extents)));
    }

    /** A Rock Ridge CL entry: the directory really lives at {@code lba}; its "." record says how long it is. */
    private FileEntry relocatedDirectory(String name, String path, long lba, Optional<java.time.Instant> modified)
            throws IOException {
        long at = lba * volume.blockSize();
        if (at < 0 || at + 256 > source.size()) {
            throw new CorruptImage("iso", "Rock Ridge child link of " + path, at, "points past the end of the image");
        }
        DirectoryRecord self = DirectoryRecord.parse(source.read(at, 256, ByteOrder.LITTLE_ENDIAN), at, false)
                .orElseThrow(() -> new CorruptImage("iso", "Rock Ridge child link of " + path, at, "no directory there"));
        return directory(name, path, self.dataLength(), modified, at, lba);
    }
}

package org.disklens.content.udf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
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
import org.disklens.io.BlockSource;
import org.disklens.io.MemoryBlockSource;

/**
 * A UDF file system (ECMA-167 with OSTA UDF 1.02 to 2.60), as on bridge discs and UDF-only media: the anchor
 * at sector 256, the volume descriptor sequence (partition and logical volume descriptors), the file set
 * descriptor, then file entries and extended file entries with short, long or embedded allocation
 * descriptors. UDF 2.50+ metadata partitions are followed through their metadata file.
 */
public final class UdfFileSystem implements FileSystem {
    static final int TAG_PVD = 1;
    static final int TAG_AVDP = 2;
    static final int TAG_PARTITION = 5;
    static final int TAG_LOGICAL_VOLUME = 6;
    static final int TAG_TERMINATING = 8;
    static final int TAG_FSD = 256;
    static final int TAG_FID = 257;
    static final int TAG_FILE_ENTRY = 261;
    static final int TAG_EXTENDED_FILE_ENTRY = 266;
    /** Bounds: descriptors per sequence, bytes of one directory, allocation descriptors of one file. */
    static final int MAX_SEQUENCE = 256;
    static final long MAX_DIRECTORY_BYTES = 64L << 20;
    static final int MAX_EXTENTS = 1 << 16;

    private final BlockSource source;
    private final int blockSize;
    private final long partitionStart;
    private final Optional<List<FileExtents.Extent>> metadataFile;
    private final String volumeId;
    private final String volumeSetId;
    private final FileEntry root;

    private UdfFileSystem(BlockSource source, int blockSize, long partitionStart, Optional<List<FileExtents.Extent>> metadataFile,
                          String volumeId, String volumeSetId, long rootLbn, int rootPartition) throws IOException {
        this.source = source;
        this.blockSize = blockSize;
        this.partitionStart = partitionStart;
        this.metadataFile = metadataFile;
        this.volumeId = volumeId;
        this.volumeSetId = volumeSetId;
        this.root = entry("", "/", rootLbn, rootPartition);
    }

    /** The anchor's block size: UDF media use 512 to 4096-byte blocks; the anchor is always at block 256. */
    public static Optional<Integer> blockSize(BlockSource source) throws IOException {
        for (int size : new int[] {2048, 512, 1024, 4096}) {
            long at = 256L * size;
            if (at + size <= source.size() && tagId(source.read(at, 16, ByteOrder.LITTLE_ENDIAN)) == TAG_AVDP) {
                return Optional.of(size);
            }
        }
        return Optional.empty();
    }

    public static UdfFileSystem open(BlockSource source) throws IOException {
        int blockSize = blockSize(source).orElseThrow(() -> new UnsupportedFeature("udf", "anchor", 256L * 2048,
                "no anchor volume descriptor at sector 256"));
        ByteBuffer anchor = source.read(256L * blockSize, blockSize, ByteOrder.LITTLE_ENDIAN);
        long sequenceLength = Integer.toUnsignedLong(anchor.getInt(16));
        long sequenceStart = Integer.toUnsignedLong(anchor.getInt(20));
        VolumeSequence sequence = VolumeSequence.read(source, blockSize, sequenceStart, sequenceLength);
        UdfFileSystem bootstrap = new UdfFileSystem(source, blockSize, sequence.partitionStart(), Optional.empty(),
                sequence.volumeId(), sequence.volumeSetId(), -1, -1);
        Optional<List<FileExtents.Extent>> metadata = sequence.metadataFileLbn().isPresent()
                ? Optional.of(bootstrap.allocation(sequence.metadataFileLbn().get(), 0, "metadata file").extents())
                : Optional.empty();
        UdfFileSystem withMetadata = new UdfFileSystem(source, blockSize, sequence.partitionStart(), metadata,
                sequence.volumeId(), sequence.volumeSetId(), -1, -1);
        ByteBuffer fsd = withMetadata.block(sequence.fsdLbn(), sequence.fsdPartition());
        if (tagId(fsd) != TAG_FSD) {
            throw new CorruptImage("udf", "file set descriptor", -1, "not found where the logical volume says");
        }
        return new UdfFileSystem(source, blockSize, sequence.partitionStart(), metadata, sequence.volumeId(),
                sequence.volumeSetId(), Integer.toUnsignedLong(fsd.getInt(404)), Short.toUnsignedInt(fsd.getShort(408)));
    }

    static int tagId(ByteBuffer block) {
        return Short.toUnsignedInt(block.getShort(0));
    }

    /** The partition number a long_ad's partition reference names: 0 the physical partition, 1 the metadata one. */
    private ByteBuffer block(long lbn, int partitionReference) throws IOException {
        long at = physical(lbn, partitionReference);
        if (at < 0 || at + blockSize > source.size()) {
            throw new CorruptImage("udf", "logical block %d".formatted(lbn), at, "lies outside the image");
        }
        return source.read(at, blockSize, ByteOrder.LITTLE_ENDIAN);
    }

    /** Byte offset of a logical block: through the metadata file's extents when the reference is the metadata partition. */
    private long physical(long lbn, int partitionReference) throws CorruptImage {
        if (partitionReference == 0 || metadataFile.isEmpty()) {
            return (partitionStart + lbn) * blockSize;
        }
        long offset = lbn * blockSize;
        for (FileExtents.Extent extent : metadataFile.get()) {
            if (offset < extent.length()) {
                return extent.volumeOffset() + offset;
            }
            offset -= extent.length();
        }
        throw new CorruptImage("udf", "metadata partition", -1, "block %d lies beyond the metadata file".formatted(lbn));
    }

    // ---- file entries ----

    /** What a file entry says: type, size, time, and where its bytes are (extents, or embedded in the entry). */
    private record Allocation(int fileType, long size, Optional<java.time.Instant> modified, List<FileExtents.Extent> extents,
                              Optional<byte[]> embedded) {
        /** Where the file's bytes are, for {@link #map}: embedded in the entry, or extents. */
        Object data(String name) {
            return embedded.isPresent() ? new MemoryBlockSource(name, embedded.get()) : new FileExtents(extents);
        }
    }

    private Allocation allocation(long lbn, int partitionReference, String path) throws IOException {
        ByteBuffer entry = block(lbn, partitionReference);
        int tag = tagId(entry);
        boolean extended = tag == TAG_EXTENDED_FILE_ENTRY;
        if (tag != TAG_FILE_ENTRY && !extended) {
            throw new CorruptImage("udf", "file entry of " + path, physical(lbn, partitionReference),
                    "tag %d is neither a file entry nor an extended file entry".formatted(tag));
        }
        int fileType = Byte.toUnsignedInt(entry.get(16 + 11));
        int adType = Short.toUnsignedInt(entry.getShort(16 + 18)) & 7;
        long size = entry.getLong(56);
        var modified = UdfText.timestamp(entry, extended ? 92 : 84);
        long eaLength = Integer.toUnsignedLong(entry.getInt(extended ? 208 : 168));
        long adLength = Integer.toUnsignedLong(entry.getInt(extended ? 212 : 172));
        int adStart = (extended ? 216 : 176) + (int) Math.min(eaLength, blockSize);
        if (size < 0 || adStart + adLength > blockSize) {
            throw new CorruptImage("udf", "file entry of " + path, physical(lbn, partitionReference),
                    "its allocation descriptors run past the entry");
        }
        if (adType == 3) {
            byte[] embedded = new byte[(int) adLength];
            entry.get(adStart, embedded);
            return new Allocation(fileType, Math.min(size, adLength), modified, List.of(), Optional.of(embedded));
        }
        List<FileExtents.Extent> extents = new ArrayList<>();
        readDescriptors(entry, adStart, (int) adLength, adType, partitionReference, extents, path, 0);
        return new Allocation(fileType, size, modified, clip(extents, size), Optional.empty());
    }

    /** Short (8 bytes) or long (16 bytes) allocation descriptors; type 3 continues in another block. */
    private void readDescriptors(ByteBuffer block, int at, int length, int adType, int partitionReference,
                                 List<FileExtents.Extent> extents, String path, int depth) throws IOException {
        int size = adType == 0 ? 8 : adType == 1 ? 16 : 0;
        if (size == 0) {
            throw new UnsupportedFeature("udf", "file entry of " + path, -1, "extended allocation descriptors");
        }
        for (int i = at; i + size <= at + length; i += size) {
            long raw = Integer.toUnsignedLong(block.getInt(i));
            long extentLength = raw & 0x3fffffff;
            int kind = (int) (raw >>> 30);
            if (extentLength == 0) {
                return;
            }
            long position = Integer.toUnsignedLong(block.getInt(i + 4));
            int reference = adType == 1 ? Short.toUnsignedInt(block.getShort(i + 8)) : partitionReference;
            if (kind == 3) {
                if (depth > 64) {
                    throw new LimitExceeded("udf", "file " + path, -1, "allocation descriptors continue more than 64 times");
                }
                ByteBuffer next = block(position, reference);
                int nextLength = (int) Math.min(Integer.toUnsignedLong(next.getInt(20)), blockSize - 24);
                readDescriptors(next, 24, nextLength, adType, reference, extents, path, depth + 1);
                return;
            }
            if (extents.size() >= MAX_EXTENTS) {
                throw new LimitExceeded("udf", "file " + path, -1, "more than %d extents".formatted(MAX_EXTENTS));
            }
            extents.add(new FileExtents.Extent(kind == 0 ? physical(position, reference) : -1, extentLength, kind != 0));
        }
    }

    /** The last extent is rounded up to a block; a file's bytes end at its information length. */
    private static List<FileExtents.Extent> clip(List<FileExtents.Extent> extents, long size) {
        List<FileExtents.Extent> clipped = new ArrayList<>();
        long left = size;
        for (FileExtents.Extent extent : extents) {
            if (left <= 0) {
                break;
            }
            long length = Math.min(left, extent.length());
            clipped.add(new FileExtents.Extent(extent.volumeOffset(), length, extent.sparse()));
            left -= length;
        }
        if (left > 0) {
            clipped.add(new FileExtents.Extent(-1, left, true));
        }
        return clipped;
    }

    private FileEntry entry(String name, String path, long lbn, int partitionReference) throws IOException {
        if (lbn < 0) {
            return null;
        }
        Allocation allocation = allocation(lbn, partitionReference, path);
        FileEntry.Type type = switch (allocation.fileType()) {
            case 4 -> FileEntry.Type.DIRECTORY;
            case 12 -> FileEntry.Type.SYMLINK;
            default -> FileEntry.Type.FILE;
        };
        Optional<String> target = type == FileEntry.Type.SYMLINK ? Optional.of(symlinkTarget(allocation, path)) : Optional.empty();
        long node = ((long) partitionReference << 40) | lbn;
        return new FileEntry(name, path, type, allocation.size(), allocation.modified(), target, FileEntry.Attributes.NONE,
                node, allocation.data(path));
    }

    private String symlinkTarget(Allocation allocation, String path) throws IOException {
        byte[] bytes = contents(allocation, path, 4096);
        ByteBuffer components = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder target = new StringBuilder();
        int at = 0;
        while (at + 4 <= bytes.length) {
            int type = Byte.toUnsignedInt(components.get(at));
            int length = Byte.toUnsignedInt(components.get(at + 1));
            if (at + 4 + length > bytes.length) {
                break;
            }
            String part = switch (type) {
                case 1, 2 -> "";
                case 3 -> "..";
                case 4 -> ".";
                case 5 -> UdfText.compressed(components, at + 4, length);
                default -> "?";
            };
            if (type == 1 || type == 2) {
                target.setLength(0);
                target.append('/');
            } else {
                if (!target.isEmpty() && target.charAt(target.length() - 1) != '/') {
                    target.append('/');
                }
                target.append(part);
            }
            at += 4 + length;
        }
        return target.toString();
    }

    /** A file's bytes, for directories and symlinks, up to {@code limit}. */
    private byte[] contents(Allocation allocation, String path, long limit) throws IOException {
        if (allocation.embedded().isPresent()) {
            return allocation.embedded().get();
        }
        if (allocation.size() > limit) {
            throw new LimitExceeded("udf", path, -1, "%d bytes exceed the limit of %d".formatted(allocation.size(), limit));
        }
        byte[] bytes = new byte[(int) allocation.size()];
        int done = 0;
        for (FileExtents.Extent extent : allocation.extents()) {
            if (!extent.sparse()) {
                if (extent.volumeOffset() < 0 || extent.volumeOffset() + extent.length() > source.size()) {
                    throw new CorruptImage("udf", path, extent.volumeOffset(), "its data lies outside the image");
                }
                source.read(extent.volumeOffset(), ByteBuffer.wrap(bytes, done, (int) extent.length()));
            }
            done += (int) extent.length();
        }
        return bytes;
    }

    // ---- FileSystem ----

    @Override
    public String naming() {
        return "udf";
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
        if (file.handle() instanceof MemoryBlockSource embedded) {
            return new Mapping.Data(embedded, fileOffset, maxLength);
        }
        return ((FileExtents) file.handle()).map(source, fileOffset, maxLength);
    }

    public String volumeId() {
        return volumeId;
    }

    public String volumeSetId() {
        return volumeSetId;
    }

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        long lbn = directory.node() & ((1L << 40) - 1);
        int reference = (int) (directory.node() >>> 40);
        Allocation allocation = allocation(lbn, reference, directory.path());
        byte[] bytes = contents(allocation, directory.path(), MAX_DIRECTORY_BYTES);
        ByteBuffer records = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<FileEntry> entries = new ArrayList<>();
        int at = 0;
        while (at + 38 <= bytes.length) {
            if (Short.toUnsignedInt(records.getShort(at)) != TAG_FID) {
                throw new CorruptImage("udf", "directory " + directory.path(), -1, "record at byte %d is not a file identifier".formatted(at));
            }
            int characteristics = Byte.toUnsignedInt(records.get(at + 18));
            int nameLength = Byte.toUnsignedInt(records.get(at + 19));
            int useLength = Short.toUnsignedInt(records.getShort(at + 36));
            int recordLength = (38 + useLength + nameLength + 3) & ~3;
            if (at + 38 + useLength + nameLength > bytes.length) {
                break;
            }
            boolean deleted = (characteristics & 0x04) != 0;
            boolean parent = (characteristics & 0x08) != 0;
            if (!deleted && !parent) {
                String name = UdfText.compressed(records, at + 38 + useLength, nameLength);
                String path = FileEntry.childPath(directory.path(), name);
                long childLbn = Integer.toUnsignedLong(records.getInt(at + 24));
                int childReference = Short.toUnsignedInt(records.getShort(at + 28));
                entries.add(entry(name, path, childLbn, childReference));
            }
            at += recordLength;
        }
        return entries;
    }

    /** The main volume descriptor sequence, reduced to what the tree needs. */
    private record VolumeSequence(long partitionStart, String volumeId, String volumeSetId, long fsdLbn, int fsdPartition,
                                  Optional<Long> metadataFileLbn) {
        static VolumeSequence read(BlockSource source, int blockSize, long start, long length) throws IOException {
            Long partitionStart = null;
            String volumeId = "";
            String volumeSetId = "";
            long fsdLbn = -1;
            int fsdPartition = 0;
            Optional<Long> metadataFile = Optional.empty();
            long blocks = Math.min(length / blockSize, MAX_SEQUENCE);
            for (long i = 0; i < blocks; i++) {
                long at = (start + i) * blockSize;
                if (at < 0 || at + blockSize > source.size()) {
                    break;
                }
                ByteBuffer descriptor = source.read(at, blockSize, ByteOrder.LITTLE_ENDIAN);
                int tag = tagId(descriptor);
                if (tag == TAG_TERMINATING) {
                    break;
                }
                switch (tag) {
                    case TAG_PVD -> volumeSetId = UdfText.dstring(descriptor, 72, 128);
                    case TAG_PARTITION -> partitionStart = partitionStart == null
                            ? Integer.toUnsignedLong(descriptor.getInt(188)) : partitionStart;
                    case TAG_LOGICAL_VOLUME -> {
                        volumeId = UdfText.dstring(descriptor, 84, 128);
                        fsdLbn = Integer.toUnsignedLong(descriptor.getInt(248 + 4));
                        fsdPartition = Short.toUnsignedInt(descriptor.getShort(248 + 8));
                        metadataFile = metadataFileLocation(descriptor, blockSize);
                    }
                    default -> {
                        // Implementation use, unallocated space and others say nothing the tree needs.
                    }
                }
            }
            if (partitionStart == null || fsdLbn < 0) {
                throw new CorruptImage("udf", "volume descriptor sequence", start * blockSize,
                        "no partition or logical volume descriptor");
            }
            return new VolumeSequence(partitionStart, volumeId, volumeSetId, fsdLbn, fsdPartition, metadataFile);
        }

        /** A type 2 map "*UDF Metadata Partition" (UDF 2.50+) names the metadata file's block in the physical partition. */
        private static Optional<Long> metadataFileLocation(ByteBuffer lvd, int blockSize) {
            int maps = lvd.getInt(268);
            int at = 440;
            for (int i = 0; i < Math.min(maps, 8) && at + 2 <= blockSize; i++) {
                int type = Byte.toUnsignedInt(lvd.get(at));
                int length = Byte.toUnsignedInt(lvd.get(at + 1));
                if (length == 0 || at + length > blockSize) {
                    break;
                }
                if (type == 2 && length >= 64) {
                    byte[] id = new byte[23];
                    lvd.get(at + 5, id);
                    if (new String(id, StandardCharsets.US_ASCII).startsWith("*UDF Metadata Partition")) {
                        return Optional.of(Integer.toUnsignedLong(lvd.getInt(at + 40)));
                    }
                }
                at += length;
            }
            return Optional.empty();
        }
    }
}

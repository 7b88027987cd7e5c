package org.disklens.content.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;
import org.disklens.io.MemoryBlockSource;

/**
 * An ext2, ext3 or ext4 file system, read-only: directories read linearly (htree nodes are empty entries to such a
 * reader), files mapped through extent trees or block maps, inline data served from the inode, metadata checksums
 * verified as read. See the package documentation for the structures and limits.
 */
public final class ExtFileSystem implements FileSystem {
    /** A directory's blocks may take at most this much (about two million entries). */
    static final long MAX_DIRECTORY_BYTES = 64L << 20;
    /** Symbolic link targets are at most a page, as Linux's PATH_MAX. */
    static final int MAX_SYMLINK = 4096;
    /** Directory blocks read at once. */
    private static final int DIRECTORY_READ_BLOCKS = 64;
    private static final String ENCRYPTED = "encrypted with fscrypt; DiskLens does not decrypt it";

    private final ExtVolume volume;
    private final FileBlocks fileBlocks;
    private final Warnings warnings;
    private final FileEntry root;

    private ExtFileSystem(ExtVolume volume, Warnings warnings) throws IOException {
        this.volume = volume;
        this.fileBlocks = new FileBlocks(volume);
        this.warnings = warnings;
        Inode rootInode = volume.inode(ExtLayout.ROOT_INODE);
        if (!rootInode.isDirectory()) {
            throw new CorruptImage(naming(), "root inode", rootInode.volumeOffset(), "is not a directory");
        }
        this.root = entry("", "/", rootInode);
    }

    /** Opens the file system in {@code source}: superblock, features and geometry checked, root inode read. */
    public static ExtFileSystem open(BlockSource source) throws IOException {
        if (source.size() < ExtSuperblock.OFFSET + ExtSuperblock.SIZE) {
            throw new CorruptImage("ext", "superblock", ExtSuperblock.OFFSET, "the volume is too small to hold one");
        }
        ByteBuffer head = source.read(ExtSuperblock.OFFSET, ExtSuperblock.SIZE, ByteOrder.LITTLE_ENDIAN);
        ExtSuperblock superblock = ExtSuperblock.parse(head).orElseThrow(() -> new CorruptImage("ext", "superblock",
                ExtSuperblock.OFFSET, "no ext2/3/4 magic 0xEF53"));
        ExtLayout layout = ExtLayout.of(superblock);
        Warnings warnings = new Warnings();
        ExtVolume volume = new ExtVolume(source, layout, warnings);
        checkSuperblock(volume);
        return new ExtFileSystem(volume, warnings);
    }

    private static void checkSuperblock(ExtVolume volume) {
        ExtLayout layout = volume.layout();
        ExtSuperblock sb = layout.superblock();
        String naming = layout.naming();
        if (layout.metadataChecksums() && sb.checksumType() != 1) {
            volume.warn("%s: superblock: checksum type %d is not crc32c".formatted(naming, sb.checksumType()));
        } else if (layout.metadataChecksums() && sb.storedChecksum() != sb.computedChecksum()) {
            volume.warn("%s: superblock at 0x400: checksum mismatch (stored 0x%08x, computed 0x%08x)"
                    .formatted(naming, sb.storedChecksum(), sb.computedChecksum()));
        }
        if (sb.hasIncompatible(ExtSuperblock.INCOMPAT_RECOVER)) {
            volume.warn(naming + ": the journal needs recovery; DiskLens shows the file system as last written, "
                    + "without replaying it");
        }
        if ((sb.state() & ExtSuperblock.STATE_ERRORS) != 0) {
            volume.warn(naming + ": the file system was marked as having errors (run e2fsck)");
        }
        long fileSystemBytes = sb.blocksCount() * layout.blockSize();
        if (fileSystemBytes > volume.size()) {
            volume.warn("%s: the volume holds 0x%x bytes, less than the file system's 0x%x; what lies past its end "
                    .formatted(naming, volume.size(), fileSystemBytes) + "cannot be read");
        }
    }

    @Override
    public String naming() {
        return volume.naming();
    }

    @Override
    public BlockSource volume() {
        return volume.source();
    }

    @Override
    public FileEntry root() {
        return root;
    }

    @Override
    public List<String> warnings() {
        return warnings.all();
    }

    // ---- entries ----

    private FileEntry entry(String name, String path, Inode inode) throws IOException {
        FileEntry.Type type = switch (inode.type()) {
            case Inode.S_IFDIR -> FileEntry.Type.DIRECTORY;
            case Inode.S_IFREG -> FileEntry.Type.FILE;
            case Inode.S_IFLNK -> FileEntry.Type.SYMLINK;
            case Inode.S_IFCHR, Inode.S_IFBLK, Inode.S_IFIFO, Inode.S_IFSOCK -> FileEntry.Type.OTHER;
            default -> throw new CorruptImage(naming(), "inode " + inode.number(), inode.volumeOffset(),
                    "mode 0%o is no file type".formatted(inode.mode()));
        };
        checkSize(inode, path);
        Optional<String> target = type == FileEntry.Type.SYMLINK ? Optional.of(symlinkTarget(inode, path)) : Optional.empty();
        if (target.isPresent() && target.get().isEmpty() && inode.has(Inode.ENCRYPT_FL)) {
            target = Optional.empty();
        }
        var attributes = FileEntry.Attributes.unix(inode.mode(), inode.uid(), inode.gid(), inode.links(), inode.number());
        return new FileEntry(name, path, type, inode.size(), inode.modifiedTime(), target, attributes, inode.number(), inode);
    }

    /** Sizes past what the inode's mapping can address are damage (the kernel's s_maxbytes). */
    private void checkSize(Inode inode, String path) throws CorruptImage {
        long limit;
        if (inode.has(Inode.INLINE_DATA_FL)) {
            limit = inode.inlineCapacity();
        } else {
            limit = FileBlocks.LOGICAL_BLOCKS * volume.layout().blockSize();
        }
        if (inode.size() < 0 || inode.size() > limit) {
            throw new CorruptImage(naming(), "inode %d (%s)".formatted(inode.number(), path), inode.volumeOffset(),
                    "size %s is more than its %s can hold (%d)".formatted(Long.toUnsignedString(inode.size()),
                            inode.has(Inode.INLINE_DATA_FL) ? "inline data" : "block map", limit));
        }
    }

    /** A fast symlink keeps its target in i_block; a slow one in its data, read like a file's. */
    private String symlinkTarget(Inode inode, String path) throws IOException {
        if (inode.has(Inode.ENCRYPT_FL)) {
            return "";
        }
        if (inode.size() > MAX_SYMLINK) {
            throw new CorruptImage(naming(), "symlink " + path, inode.volumeOffset(),
                    "target of %d bytes is longer than %d".formatted(inode.size(), MAX_SYMLINK));
        }
        byte[] target;
        if (inode.has(Inode.INLINE_DATA_FL)) {
            target = inode.inlineContent(inode.size());
        } else if (isFastSymlink(inode)) {
            target = new byte[(int) inode.size()];
            System.arraycopy(inode.blockBytes(), 0, target, 0, target.length);
        } else {
            target = readSmall(inode, (int) inode.size(), path);
        }
        return new String(target, StandardCharsets.UTF_8);
    }

    /** The kernel's test: no blocks besides an extended attribute block, and a target that fits i_block. */
    private boolean isFastSymlink(Inode inode) {
        long attributeBlocks = inode.fileAcl() != 0 ? (long) volume.layout().blockSize() * volume.layout().clusterRatio() / 512 : 0;
        return inode.blocks512() - attributeBlocks == 0 && inode.size() < Inode.BLOCK_AREA_SIZE;
    }

    private byte[] readSmall(Inode inode, int length, String path) throws IOException {
        byte[] bytes = new byte[length];
        int blockSize = volume.layout().blockSize();
        for (int done = 0; done < length; ) {
            FileBlocks.Run run = fileBlocks.run(inode, done / blockSize, (length - done + blockSize - 1) / blockSize);
            int part = (int) Math.min(length - done, run.blocks() * blockSize);
            if (!run.zero()) {
                ByteBuffer read = volume.read(volume.layout().offsetOf(run.physical()), part, "data of " + path);
                read.get(bytes, done, part);
            }
            done += part;
        }
        return bytes;
    }

    // ---- directories ----

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        Inode inode = (Inode) directory.handle();
        if (!inode.isDirectory()) {
            throw new CorruptImage(naming(), directory.path(), inode.volumeOffset(), "is not a directory");
        }
        if (inode.has(Inode.ENCRYPT_FL)) {
            throw new UnsupportedFeature(naming(), "directory " + directory.path(), inode.volumeOffset(), ENCRYPTED);
        }
        List<FileEntry> entries = new ArrayList<>();
        if (inode.has(Inode.INLINE_DATA_FL)) {
            listInline(directory, inode, entries);
        } else {
            listBlocks(directory, inode, entries);
        }
        return entries;
    }

    /** Inline directories: i_block holds the parent's inode number then entries; system.data holds more entries. */
    private void listInline(FileEntry directory, Inode inode, List<FileEntry> entries) throws IOException {
        boolean types = volume.layout().has(ExtSuperblock.INCOMPAT_FILETYPE);
        int blockSize = volume.layout().blockSize();
        ByteBuffer area = inode.blockArea().position(4);
        addAll(directory, DirectoryEntry.parseRegion(area, Inode.BLOCK_AREA_SIZE - 4, types, blockSize), entries,
                inode.volumeOffset() + Inode.BLOCK_AREA);
        byte[] value = inode.inlineValue();
        if (value.length > 0) {
            addAll(directory, DirectoryEntry.parseRegion(ByteBuffer.wrap(value), value.length, types, blockSize), entries,
                    inode.volumeOffset());
        }
    }

    private void listBlocks(FileEntry directory, Inode inode, List<FileEntry> entries) throws IOException {
        if (inode.size() > MAX_DIRECTORY_BYTES) {
            throw new LimitExceeded(naming(), "directory " + directory.path(), inode.volumeOffset(),
                    "%d bytes of entries exceed the limit of %d".formatted(inode.size(), MAX_DIRECTORY_BYTES));
        }
        int blockSize = volume.layout().blockSize();
        long blocks = (inode.size() + blockSize - 1) / blockSize;
        for (long block = 0; block < blocks; ) {
            FileBlocks.Run run = fileBlocks.run(inode, block, Math.min(blocks - block, DIRECTORY_READ_BLOCKS));
            if (run.zero()) {
                volume.warn("%s: directory %s: blocks %d to %d are a hole".formatted(naming(), directory.path(), block,
                        block + run.blocks() - 1));
            } else {
                long offset = volume.layout().offsetOf(run.physical());
                ByteBuffer bytes = volume.read(offset, (int) run.blocks() * blockSize, "directory " + directory.path());
                for (int i = 0; i < run.blocks(); i++) {
                    readDirectoryBlock(directory, inode, block + i, bytes.position(i * blockSize), offset + (long) i * blockSize,
                            entries);
                }
            }
            block += run.blocks();
        }
    }

    private void readDirectoryBlock(FileEntry directory, Inode inode, long block, ByteBuffer bytes, long offset,
                                    List<FileEntry> entries) throws IOException {
        int blockSize = volume.layout().blockSize();
        ByteBuffer one = bytes.slice(bytes.position(), blockSize).order(ByteOrder.LITTLE_ENDIAN);
        if (volume.layout().metadataChecksums()) {
            DirectoryChecksum.verify(one, inode, block, volume.layout()).ifPresent(problem -> volume.warn(
                    "%s: directory %s, block at 0x%x: %s".formatted(naming(), directory.path(), offset, problem)));
        }
        boolean types = volume.layout().has(ExtSuperblock.INCOMPAT_FILETYPE);
        addAll(directory, DirectoryEntry.parseRegion(one, blockSize, types, blockSize), entries, offset);
    }

    /** Adds a region's entries; damage to the region or to one entry's inode is a warning, and the rest goes on. */
    private void addAll(FileEntry directory, DirectoryEntry.Region region, List<FileEntry> entries, long offset)
            throws IOException {
        region.damage().ifPresent(damage -> volume.warn("%s: directory %s, entries at 0x%x: %s (the rest of the block "
                .formatted(naming(), directory.path(), offset, damage) + "is skipped)"));
        for (DirectoryEntry entry : region.entries()) {
            if (entry.inode() == 0 || entry.isDotOrDotDot()) {
                continue;
            }
            String name = new String(entry.name(), StandardCharsets.UTF_8);
            if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                volume.warn("%s: directory %s, entries at 0x%x: a name with '/' or NUL is skipped"
                        .formatted(naming(), directory.path(), offset));
                continue;
            }
            String path = FileEntry.childPath(directory.path(), name);
            try {
                entries.add(entry(name, path, volume.inode(entry.inode())));
            } catch (ImageException damaged) {
                volume.warn(damaged.getMessage() + " (" + path + " is left out)");
            }
        }
    }

    // ---- file data ----

    @Override
    public Mapping map(FileEntry file, long fileOffset, long maxLength) throws IOException {
        Inode inode = (Inode) file.handle();
        if (inode.has(Inode.ENCRYPT_FL)) {
            throw new UnsupportedFeature(naming(), "file " + file.path(), inode.volumeOffset(), ENCRYPTED);
        }
        long length = Math.min(maxLength, file.size() - fileOffset);
        if (inode.has(Inode.INLINE_DATA_FL)) {
            byte[] content = inode.inlineContent(file.size());
            return new Mapping.Data(new MemoryBlockSource(file.path(), content), fileOffset, length);
        }
        if (file.type() == FileEntry.Type.SYMLINK && isFastSymlink(inode)) {
            byte[] target = java.util.Arrays.copyOf(inode.blockBytes(), (int) file.size());
            return new Mapping.Data(new MemoryBlockSource(file.path(), target), fileOffset, length);
        }
        int blockSize = volume.layout().blockSize();
        long into = fileOffset % blockSize;
        long want = (into + length + blockSize - 1) / blockSize;
        FileBlocks.Run run = fileBlocks.run(inode, fileOffset / blockSize, want);
        long runLength = Math.min(length, run.blocks() * blockSize - into);
        if (run.zero()) {
            return new Mapping.Zero(runLength);
        }
        return new Mapping.Data(volume.source(), volume.layout().offsetOf(run.physical()) + into, runLength);
    }

    // ---- free space ----

    /** Refused while the journal needs recovery: blocks it would free or allocate are not yet in the bitmaps. */
    @Override
    public void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        if (volume.layout().superblock().hasIncompatible(ExtSuperblock.INCOMPAT_RECOVER)) {
            throw new UnsupportedFeature(naming(), "journal", -1,
                    "needs recovery, so the block bitmaps may be out of date; the free space is not trusted");
        }
        new FreeSpace(volume).report(sink, progress);
    }
}

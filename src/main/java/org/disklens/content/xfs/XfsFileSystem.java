package org.disklens.content.xfs;

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
 * An XFS file system (v4 or v5), read-only: directories in every form read through their data blocks, files mapped
 * through extent lists or bmbt trees, v5 metadata checksums verified as read. See the package documentation for the
 * structures and limits.
 */
public final class XfsFileSystem implements FileSystem {
    /** A directory's data blocks may take at most this much (about two million entries). */
    static final long MAX_DIRECTORY_BYTES = 64L << 20;
    /** XFS_DIR2_LEAF_OFFSET: a directory's hash leaves and free index live from here on, its entries below. */
    static final long DIRECTORY_LEAF_OFFSET = 32L << 30;
    /** XFS_SYMLINK_MAXLEN. */
    static final int MAX_SYMLINK = 1024;
    static final int SYMLINK_MAGIC = 0x58534C4D; // XSLM
    static final int SYMLINK_HEADER = 56;
    static final int SYMLINK_CRC_OFFSET = 12;
    /** File-system blocks of a directory read at once. */
    private static final int DIRECTORY_READ_BLOCKS = 64;
    private static final String REALTIME = "on the real-time subvolume, which DiskLens does not read";

    private final XfsVolume volume;
    private final FileBlocks fileBlocks;
    private final Warnings warnings;
    private final FileEntry root;

    private XfsFileSystem(XfsVolume volume, Warnings warnings) throws IOException {
        this.volume = volume;
        this.fileBlocks = new FileBlocks(volume);
        this.warnings = warnings;
        Inode rootInode = volume.inode(volume.geometry().superblock().rootInode());
        if (!rootInode.isDirectory()) {
            throw new CorruptImage(naming(), "root inode", rootInode.volumeOffset(), "is not a directory");
        }
        this.root = entry("", "/", rootInode);
    }

    /** Opens the file system in {@code source}: superblock and geometry checked, log looked at, root inode read. */
    public static XfsFileSystem open(BlockSource source) throws IOException {
        if (source.size() < XfsSuperblock.SIZE) {
            throw new CorruptImage(XfsGeometry.NAMING, "superblock", 0, "the volume is too small to hold one");
        }
        ByteBuffer head = source.read(0, XfsSuperblock.SIZE, ByteOrder.BIG_ENDIAN);
        XfsSuperblock superblock = XfsSuperblock.parse(head).orElseThrow(() -> new CorruptImage(XfsGeometry.NAMING,
                "superblock", 0, "no XFS magic XFSB"));
        XfsGeometry geometry = XfsGeometry.of(superblock);
        Warnings warnings = new Warnings();
        XfsVolume volume = new XfsVolume(source, geometry, warnings);
        checkSuperblock(volume);
        checkLog(volume);
        return new XfsFileSystem(volume, warnings);
    }

    private static void checkSuperblock(XfsVolume volume) throws IOException {
        XfsGeometry geometry = volume.geometry();
        XfsSuperblock sb = geometry.superblock();
        String naming = XfsGeometry.NAMING;
        if (geometry.v5() && volume.size() >= geometry.sectorSize()) {
            volume.verify(volume.read(0, geometry.sectorSize(), "superblock"), XfsSuperblock.CRC_OFFSET,
                    geometry.sectorSize(), "superblock", 0);
        }
        if (sb.inProgress() != 0) {
            volume.warn(naming + ": the superblock says mkfs.xfs did not finish (sb_inprogress)");
        }
        if (sb.hasIncompatible(XfsSuperblock.INCOMPAT_NEEDS_REPAIR)) {
            volume.warn(naming + ": the file system is marked as needing repair (run xfs_repair)");
        }
        long fileSystemBytes = geometry.dataBlocks() * geometry.blockSize();
        if (fileSystemBytes > volume.size()) {
            volume.warn("%s: the volume holds 0x%x bytes, less than the file system's 0x%x; what lies past its end "
                    .formatted(naming, volume.size(), fileSystemBytes) + "cannot be read");
        }
    }

    private static void checkLog(XfsVolume volume) throws IOException {
        XfsSuperblock sb = volume.geometry().superblock();
        Optional<String> problem;
        try {
            problem = XfsLog.problem(volume);
        } catch (ImageException unreadable) {
            volume.warn(unreadable.getMessage() + " (whether the log is clean is not known)");
            return;
        }
        if (problem.isEmpty() && sb.v5() && sb.logIncompatibleFeatures() != 0) {
            problem = Optional.of("the superblock has log-incompatible features 0x%x set, which a clean unmount clears"
                    .formatted(sb.logIncompatibleFeatures()));
        }
        problem.ifPresent(why -> volume.warn(XfsGeometry.NAMING + ": the log was not cleanly unmounted (" + why
                + "); DiskLens shows the file system as last written, without replaying the log"));
    }

    @Override
    public String naming() {
        return XfsGeometry.NAMING;
    }

    @Override
    public BlockSource volume() {
        return volume.source();
    }

    @Override
    public FileEntry root() {
        return root;
    }

    /** The file-system block size, in bytes. */
    public int blockSize() {
        return volume.geometry().blockSize();
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
        Optional<String> target = type == FileEntry.Type.SYMLINK
                ? Optional.of(new String(symlinkTarget(inode, path), StandardCharsets.UTF_8)) : Optional.empty();
        var attributes = FileEntry.Attributes.unix(inode.mode(), inode.uid(), inode.gid(), inode.links(), inode.number());
        return new FileEntry(name, path, type, inode.size(), Optional.of(inode.modified()), target, attributes,
                inode.number(), inode);
    }

    /** A local symlink keeps its target in the data fork; a remote one in blocks (v5: each with an XSLM header). */
    private byte[] symlinkTarget(Inode inode, String path) throws IOException {
        if (inode.size() > MAX_SYMLINK || inode.size() == 0) {
            throw new CorruptImage(naming(), "symlink " + path, inode.volumeOffset(),
                    "target of %d bytes (1 to %d)".formatted(inode.size(), MAX_SYMLINK));
        }
        int length = (int) inode.size();
        if (inode.format() == Inode.FORMAT_LOCAL) {
            if (length > inode.dataFork().length) {
                throw new CorruptImage(naming(), "symlink " + path, inode.volumeOffset(),
                        "target of %d bytes does not fit its inode".formatted(length));
            }
            return java.util.Arrays.copyOf(inode.dataFork(), length);
        }
        return remoteSymlink(inode, length, path);
    }

    private byte[] remoteSymlink(Inode inode, int length, String path) throws IOException {
        int blockSize = volume.geometry().blockSize();
        boolean v5 = volume.geometry().v5();
        int perBlock = v5 ? blockSize - SYMLINK_HEADER : blockSize;
        byte[] target = new byte[length];
        String what = "symlink " + path;
        for (int done = 0, block = 0; done < length; block++) {
            FileBlocks.Run run = fileBlocks.run(inode, block);
            if (run.zero()) {
                throw new CorruptImage(naming(), what, inode.volumeOffset(), "block %d of its target is a hole".formatted(block));
            }
            long offset = fileBlocks.offsetOf(run, 1, inode);
            ByteBuffer bytes = volume.read(offset, blockSize, what);
            int part = Math.min(perBlock, length - done);
            if (v5) {
                checkSymlinkHeader(bytes, inode, done, part, what, offset);
            }
            bytes.get(v5 ? SYMLINK_HEADER : 0, target, done, part);
            done += part;
        }
        return target;
    }

    private void checkSymlinkHeader(ByteBuffer bytes, Inode inode, int done, int part, String what, long offset)
            throws CorruptImage {
        if (bytes.getInt(0) != SYMLINK_MAGIC || bytes.getInt(4) != done || bytes.getInt(8) != part
                || bytes.getLong(32) != inode.number()) {
            throw new CorruptImage(naming(), what, offset, "no XSLM header for bytes %d to %d of inode %d"
                    .formatted(done, done + part, inode.number()));
        }
        volume.verify(bytes, SYMLINK_CRC_OFFSET, bytes.capacity(), what, offset);
    }

    // ---- directories ----

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        Inode inode = (Inode) directory.handle();
        if (!inode.isDirectory()) {
            throw new CorruptImage(naming(), directory.path(), inode.volumeOffset(), "is not a directory");
        }
        List<FileEntry> entries = new ArrayList<>();
        switch (inode.format()) {
            case Inode.FORMAT_LOCAL -> listShortForm(directory, inode, entries);
            case Inode.FORMAT_EXTENTS, Inode.FORMAT_BTREE -> listBlocks(directory, inode, entries);
            default -> throw new CorruptImage(naming(), "directory " + directory.path(), inode.volumeOffset(),
                    "data fork format %d".formatted(inode.format()));
        }
        return entries;
    }

    private void listShortForm(FileEntry directory, Inode inode, List<FileEntry> entries) throws IOException {
        byte[] fork = inode.dataFork();
        int length = (int) Math.min(inode.size(), fork.length);
        if (inode.size() > fork.length) {
            volume.warn("%s: directory %s at 0x%x: %d bytes of short-form entries do not fit its inode".formatted(naming(),
                    directory.path(), inode.volumeOffset(), inode.size()));
        }
        addAll(directory, DirectoryEntry.parseShortForm(ByteBuffer.wrap(fork), length, fileTypes()), entries,
                inode.volumeOffset());
    }

    private boolean fileTypes() {
        return volume.geometry().superblock().fileTypes();
    }

    /** Block, leaf, node and B+tree directories alike: every data block below the leaf offset, in order. */
    private void listBlocks(FileEntry directory, Inode inode, List<FileEntry> entries) throws IOException {
        XfsGeometry geometry = volume.geometry();
        long dataBytes = Math.min(inode.size(), DIRECTORY_LEAF_OFFSET);
        if (dataBytes > MAX_DIRECTORY_BYTES) {
            throw new LimitExceeded(naming(), "directory " + directory.path(), inode.volumeOffset(),
                    "%d bytes of entries exceed the limit of %d".formatted(dataBytes, MAX_DIRECTORY_BYTES));
        }
        int blockSize = geometry.blockSize();
        int perDirectoryBlock = geometry.blocksPerDirectoryBlock();
        long end = (dataBytes + geometry.directoryBlockSize() - 1) / geometry.directoryBlockSize() * perDirectoryBlock;
        for (long block = 0; block < end; ) {
            FileBlocks.Run run = fileBlocks.run(inode, block);
            if (run.zero()) {
                block = Math.min(end, block + Math.max(perDirectoryBlock, run.blocks() / perDirectoryBlock * perDirectoryBlock));
                continue;
            }
            long whole = Math.min(Math.min(run.blocks(), end - block), DIRECTORY_READ_BLOCKS) / perDirectoryBlock
                    * perDirectoryBlock;
            if (whole == 0) {
                readSplitBlock(directory, inode, block, entries);
                block += perDirectoryBlock;
                continue;
            }
            long offset = fileBlocks.offsetOf(run, whole, inode);
            ByteBuffer bytes = volume.read(offset, (int) whole * blockSize, "directory " + directory.path());
            for (int i = 0; i < whole / perDirectoryBlock; i++) {
                int at = i * geometry.directoryBlockSize();
                readDataBlock(directory, inode, bytes.slice(at, geometry.directoryBlockSize()), offset + at, entries);
            }
            block += whole;
        }
    }

    /** A directory block whose file-system blocks lie in more than one extent. */
    private void readSplitBlock(FileEntry directory, Inode inode, long first, List<FileEntry> entries) throws IOException {
        XfsGeometry geometry = volume.geometry();
        int blockSize = geometry.blockSize();
        ByteBuffer bytes = ByteBuffer.allocate(geometry.directoryBlockSize());
        long firstOffset = -1;
        for (int i = 0; i < geometry.blocksPerDirectoryBlock(); i++) {
            FileBlocks.Run run = fileBlocks.run(inode, first + i);
            if (run.zero()) {
                volume.warn("%s: directory %s: block %d of a directory block is a hole".formatted(naming(),
                        directory.path(), first + i));
                return;
            }
            long offset = fileBlocks.offsetOf(run, 1, inode);
            firstOffset = firstOffset < 0 ? offset : firstOffset;
            bytes.put(i * blockSize, volume.read(offset, blockSize, "directory " + directory.path()), 0, blockSize);
        }
        readDataBlock(directory, inode, bytes, firstOffset, entries);
    }

    private void readDataBlock(FileEntry directory, Inode inode, ByteBuffer block, long offset, List<FileEntry> entries)
            throws IOException {
        XfsGeometry geometry = volume.geometry();
        ByteBuffer bytes = block.order(ByteOrder.BIG_ENDIAN);
        String what = "directory block of " + directory.path();
        if (geometry.v5()) {
            volume.verify(bytes, DirectoryEntry.CRC_OFFSET, geometry.directoryBlockSize(), what, offset);
            long owner = bytes.getLong(DirectoryEntry.OWNER_OFFSET);
            if (owner != inode.number()) {
                volume.warn("%s: %s at 0x%x: the block says it belongs to inode %s".formatted(naming(), what, offset,
                        Long.toUnsignedString(owner)));
            }
        }
        addAll(directory, DirectoryEntry.parseDataBlock(bytes, geometry.directoryBlockSize(), geometry.v5(), fileTypes()),
                entries, offset);
    }

    /** Adds a region's entries; damage to the region or to one entry's inode is a warning, and the rest goes on. */
    private void addAll(FileEntry directory, DirectoryEntry.Region region, List<FileEntry> entries, long offset)
            throws IOException {
        region.damage().ifPresent(damage -> volume.warn("%s: directory %s, entries at 0x%x: %s (the rest of the block "
                .formatted(naming(), directory.path(), offset, damage) + "is skipped)"));
        for (DirectoryEntry entry : region.entries()) {
            if (entry.isDotOrDotDot()) {
                continue;
            }
            String name = new String(entry.name(), StandardCharsets.UTF_8);
            if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                volume.warn("%s: directory %s, entries at 0x%x: a name with '/' or NUL is skipped".formatted(naming(),
                        directory.path(), offset));
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
        long length = Math.min(maxLength, file.size() - fileOffset);
        if (file.type() == FileEntry.Type.SYMLINK) {
            byte[] target = symlinkTarget(inode, file.path());
            return new Mapping.Data(new MemoryBlockSource(file.path(), target), fileOffset, length);
        }
        if (inode.realtime()) {
            throw new UnsupportedFeature(naming(), "file " + file.path(), inode.volumeOffset(), REALTIME);
        }
        if (inode.format() == Inode.FORMAT_LOCAL) {
            if (file.size() > inode.dataFork().length) {
                throw new CorruptImage(naming(), "file " + file.path(), inode.volumeOffset(),
                        "%d bytes of inline data do not fit its inode".formatted(file.size()));
            }
            return new Mapping.Data(new MemoryBlockSource(file.path(), inode.dataFork()), fileOffset, length);
        }
        int blockSize = volume.geometry().blockSize();
        long into = fileOffset % blockSize;
        FileBlocks.Run run = fileBlocks.run(inode, fileOffset / blockSize);
        long runBytes = run.blocks() > (Long.MAX_VALUE - into) / blockSize ? Long.MAX_VALUE : run.blocks() * blockSize;
        long runLength = Math.min(length, runBytes - into);
        if (run.zero()) {
            return new Mapping.Zero(runLength);
        }
        long blocks = (into + runLength + blockSize - 1) / blockSize;
        return new Mapping.Data(volume.source(), fileBlocks.offsetOf(run, blocks, inode) + into, runLength);
    }

    // ---- free space ----

    @Override
    public void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        new FreeSpace(volume).report(sink, progress);
    }
}

package org.disklens.content.btrfs;

import org.disklens.content.Lru;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
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
 * A Btrfs file system, read-only, from one device: the default subvolume as the root, every subvolume as a folder
 * where its parent's directory entry (the ROOT_REF's place) puts it, directories in DIR_INDEX order, files mapped
 * through their EXTENT_DATA items. See the package documentation for the structures and limits.
 */
public final class BtrfsFileSystem implements FileSystem {
    /** Symbolic link targets are at most a page, as Linux's PATH_MAX. */
    static final int MAX_SYMLINK = 4096;
    /** A directory listing stops with an error past this many entries. */
    static final int MAX_DIRECTORY_ENTRIES = 4_000_000;
    /** Subvolume ids go in the bits above this one of {@link FileEntry#node()}: inode numbers stay below 2^40. */
    static final int SUBVOLUME_SHIFT = 40;
    private static final long SUBVOLUME_CACHE = 4096;

    /** A subvolume (or the top-level FS tree) and its tree. */
    record Subvolume(long id, Tree tree, long rootDirId) {
    }

    /** What an entry's handle is: its subvolume, inode number and inode item. */
    record Handle(Subvolume subvolume, long inode, InodeItem item, long volumeOffset) {
    }

    private final BtrfsVolume volume;
    private final Warnings warnings;
    private final Tree rootTree;
    private final Lru<Long, Subvolume> subvolumes = new Lru<>(SUBVOLUME_CACHE, subvolume -> 1);
    private final FileEntry root;

    private BtrfsFileSystem(BtrfsVolume volume, Warnings warnings) throws IOException {
        this.volume = volume;
        this.warnings = warnings;
        BtrfsSuperblock sb = volume.superblock();
        this.rootTree = new Tree(volume, Key.ROOT_TREE, sb.root(), sb.rootLevel(), "root tree");
        Subvolume top = defaultSubvolume();
        Handle handle = inode(top, top.rootDirId(), "/");
        if (handle.item().type() != InodeItem.S_IFDIR) {
            throw new CorruptImage(naming(), "root directory of subvolume " + top.id(), handle.volumeOffset(),
                    "is not a directory");
        }
        this.root = entry("", "/", handle);
    }

    /** Opens the file system in {@code source}: superblock, chunk map, root tree, default subvolume. */
    public static BtrfsFileSystem open(BlockSource source) throws IOException {
        Warnings warnings = new Warnings();
        return new BtrfsFileSystem(BtrfsVolume.open(source, warnings), warnings);
    }

    @Override
    public String naming() {
        return BtrfsVolume.NAMING;
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

    // ---- subvolumes ----

    /** The subvolume the root tree dir's "default" entry names, else the top-level FS tree (5). */
    private Subvolume defaultSubvolume() throws IOException {
        long[] id = {Key.FS_TREE};
        try {
            rootTree.scan(Key.first(Key.ROOT_TREE_DIR, Key.DIR_ITEM), Key.last(Key.ROOT_TREE_DIR, Key.DIR_ITEM), item -> {
                for (DirEntry entry : DirEntry.parseAll(item.data(), "root tree directory", item.volumeOffset())) {
                    if (new String(entry.name(), StandardCharsets.UTF_8).equals("default") && entry.isSubvolume()) {
                        id[0] = entry.location().objectId();
                        return false;
                    }
                }
                return true;
            });
        } catch (CorruptImage damaged) {
            volume.warn(damaged.getMessage() + " (the default subvolume is taken to be the top level)");
        }
        if (id[0] == Key.FS_TREE) {
            return subvolume(Key.FS_TREE);
        }
        try {
            return subvolume(id[0]);
        } catch (ImageException damaged) {
            volume.warn(damaged.getMessage() + " (the default subvolume; the top level is shown instead)");
            return subvolume(Key.FS_TREE);
        }
    }

    private Subvolume subvolume(long id) throws IOException {
        if (id != Key.FS_TREE && (Long.compareUnsigned(id, Key.FIRST_FREE) < 0 || Long.compareUnsigned(id, Key.LAST_FREE) > 0)) {
            throw new CorruptImage(naming(), "subvolume " + Long.toUnsignedString(id), -1, "is not a subvolume id");
        }
        return subvolumes.get(id, () -> loadSubvolume(id));
    }

    private Subvolume loadSubvolume(long id) throws IOException {
        Tree.Item[] last = new Tree.Item[1];
        rootTree.scan(Key.first(id, Key.ROOT_ITEM), Key.last(id, Key.ROOT_ITEM), item -> {
            last[0] = item;
            return true;
        });
        String what = "root item of subvolume " + Long.toUnsignedString(id);
        if (last[0] == null) {
            throw new CorruptImage(naming(), what, -1, "is not in the root tree");
        }
        RootItem item = RootItem.parse(last[0].data(), what, last[0].volumeOffset());
        Tree tree = new Tree(volume, id, item.bytenr(), item.level(), id == Key.FS_TREE ? "FS tree" : "tree of subvolume " + id);
        return new Subvolume(id, tree, item.rootDirId());
    }

    // ---- entries ----

    private Handle inode(Subvolume subvolume, long inode, String path) throws IOException {
        Optional<Tree.Item> item = subvolume.tree().find(new Key(inode, Key.INODE_ITEM, 0));
        if (item.isEmpty() || item.get().data().remaining() < InodeItem.SIZE) {
            // The message is made only here: listing a directory looks up every entry's inode.
            String what = "inode %s of subvolume %d (%s)".formatted(Long.toUnsignedString(inode), subvolume.id(), path);
            if (item.isEmpty()) {
                throw new CorruptImage(naming(), what, -1, "has no inode item");
            }
            InodeItem.parse(item.get().data(), what, item.get().volumeOffset());
        }
        return new Handle(subvolume, inode, InodeItem.parse(item.get().data(), "inode", item.get().volumeOffset()),
                item.get().volumeOffset());
    }

    private FileEntry entry(String name, String path, Handle handle) throws IOException {
        InodeItem item = handle.item();
        FileEntry.Type type = switch (item.type()) {
            case InodeItem.S_IFDIR -> FileEntry.Type.DIRECTORY;
            case InodeItem.S_IFREG -> FileEntry.Type.FILE;
            case InodeItem.S_IFLNK -> FileEntry.Type.SYMLINK;
            case InodeItem.S_IFCHR, InodeItem.S_IFBLK, InodeItem.S_IFIFO, InodeItem.S_IFSOCK -> FileEntry.Type.OTHER;
            default -> throw new CorruptImage(naming(), "inode %d (%s)".formatted(handle.inode(), path), handle.volumeOffset(),
                    "mode 0%o is no file type".formatted(item.mode()));
        };
        if (item.size() < 0) {
            throw new CorruptImage(naming(), "inode %d (%s)".formatted(handle.inode(), path), handle.volumeOffset(),
                    "size %s is past 2^63".formatted(Long.toUnsignedString(item.size())));
        }
        var attributes = FileEntry.Attributes.unix(item.mode(), item.uid(), item.gid(), item.links(), handle.inode());
        FileEntry entry = new FileEntry(name, path, type, item.size(), item.modified(), Optional.empty(), attributes,
                node(handle), handle);
        if (type != FileEntry.Type.SYMLINK) {
            return entry;
        }
        return new FileEntry(name, path, type, item.size(), item.modified(), Optional.of(symlinkTarget(entry)),
                attributes, entry.node(), handle);
    }

    /**
     * Unique within the file system: inode numbers repeat across subvolumes (each root directory is 256), so the
     * subvolume id goes into the high bits. Inode numbers at or above 2^40 may collide; none are that large in practice.
     */
    static long node(Handle handle) {
        return (handle.subvolume().id() << SUBVOLUME_SHIFT) ^ handle.inode();
    }

    private String symlinkTarget(FileEntry link) throws IOException {
        if (link.size() > MAX_SYMLINK) {
            throw new CorruptImage(naming(), "symlink " + link.path(), ((Handle) link.handle()).volumeOffset(),
                    "target of %d bytes is longer than %d".formatted(link.size(), MAX_SYMLINK));
        }
        ByteBuffer target = ByteBuffer.allocate((int) link.size());
        new FileReader(this).read(link, 0, target);
        return new String(target.array(), StandardCharsets.UTF_8);
    }

    // ---- directories ----

    @Override
    public List<FileEntry> list(FileEntry directory) throws IOException {
        Handle handle = (Handle) directory.handle();
        if (handle.item().type() != InodeItem.S_IFDIR) {
            throw new CorruptImage(naming(), directory.path(), handle.volumeOffset(), "is not a directory");
        }
        List<Named> named = new ArrayList<>();
        Tree tree = handle.subvolume().tree();
        long inode = handle.inode();
        boolean[] indexed = {false};
        tree.scan(Key.first(inode, Key.DIR_INDEX), Key.last(inode, Key.DIR_INDEX), item -> {
            indexed[0] = true;
            addNames(directory, item, named);
            return true;
        });
        if (!indexed[0]) {
            // DIR_INDEX items lost: the DIR_ITEMs (in name hash order) still name every entry.
            tree.scan(Key.first(inode, Key.DIR_ITEM), Key.last(inode, Key.DIR_ITEM), item -> {
                if (named.isEmpty()) {
                    volume.warn("%s: directory %s has no DIR_INDEX items; listed from its DIR_ITEMs, in hash order"
                            .formatted(naming(), directory.path()));
                }
                addNames(directory, item, named);
                return true;
            });
        }
        return entries(directory, named);
    }

    /** A directory entry with its decoded name, in listing order. */
    private record Named(DirEntry entry, String name, int order) {
    }

    /** Adds one item's entries; a damaged item or name is a warning, and the rest goes on. */
    private void addNames(FileEntry directory, Tree.Item item, List<Named> named) throws IOException {
        List<DirEntry> parsed;
        try {
            parsed = DirEntry.parseAll(item.data(), "directory " + directory.path(), item.volumeOffset());
        } catch (CorruptImage damaged) {
            volume.warn(damaged.getMessage() + " (the entry is skipped)");
            return;
        }
        for (DirEntry entry : parsed) {
            if (named.size() >= MAX_DIRECTORY_ENTRIES) {
                throw new LimitExceeded(naming(), "directory " + directory.path(), item.volumeOffset(),
                        "more than %d entries".formatted(MAX_DIRECTORY_ENTRIES));
            }
            String name = new String(entry.name(), StandardCharsets.UTF_8);
            if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
                volume.warn("%s: directory %s, entry at 0x%x: the name \"%s\" is skipped".formatted(naming(),
                        directory.path(), item.volumeOffset(), name.replace("\0", "\\0")));
                continue;
            }
            named.add(new Named(entry, name, named.size()));
        }
    }

    /**
     * The entries' inodes, looked up in inode order (neighbouring inodes share leaves, so each leaf is read once
     * however the directory's index orders them), returned in listing order; an entry whose inode cannot be read
     * is left out with a warning.
     */
    private List<FileEntry> entries(FileEntry directory, List<Named> named) throws IOException {
        List<Named> byInode = new ArrayList<>(named);
        byInode.sort(java.util.Comparator.comparing((Named one) -> one.entry().location()));
        FileEntry[] found = new FileEntry[named.size()];
        for (Named one : byInode) {
            String path = FileEntry.childPath(directory.path(), one.name());
            try {
                found[one.order()] = child(directory, one.entry(), one.name(), path);
            } catch (ImageException damaged) {
                volume.warn(damaged.getMessage() + " (" + path + " is left out)");
            }
        }
        List<FileEntry> entries = new ArrayList<>(found.length);
        for (FileEntry entry : found) {
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private FileEntry child(FileEntry directory, DirEntry entry, String name, String path) throws IOException {
        Handle parent = (Handle) directory.handle();
        Key location = entry.location();
        if (entry.isSubvolume()) {
            Subvolume subvolume = subvolume(location.objectId());
            Handle rootDir = inode(subvolume, subvolume.rootDirId(), path);
            if (rootDir.item().type() != InodeItem.S_IFDIR) {
                throw new CorruptImage(naming(), "root directory of subvolume " + subvolume.id(), rootDir.volumeOffset(),
                        "is not a directory");
            }
            return entry(name, path, rootDir);
        }
        if (location.type() != Key.INODE_ITEM) {
            throw new CorruptImage(naming(), "directory " + directory.path(), parent.volumeOffset(),
                    "entry \"%s\" points at key %s, neither an inode nor a subvolume".formatted(name, location));
        }
        return entry(name, path, inode(parent.subvolume(), location.objectId(), path));
    }

    // ---- file data ----

    @Override
    public Mapping map(FileEntry file, long fileOffset, long maxLength) throws IOException {
        Handle handle = (Handle) file.handle();
        long length = Math.min(maxLength, file.size() - fileOffset);
        Tree tree = handle.subvolume().tree();
        String what = "file " + file.path();
        Optional<Tree.Item> floor = tree.floor(new Key(handle.inode(), Key.EXTENT_DATA, fileOffset));
        if (floor.isPresent() && floor.get().key().objectId() == handle.inode()
                && floor.get().key().type() == Key.EXTENT_DATA) {
            Tree.Item item = floor.get();
            FileExtent extent = FileExtent.parse(item.data(), item.key().offset(), what, item.volumeOffset());
            if (extent.type() == FileExtent.INLINE) {
                Optional<Mapping> inline = inline(file, extent, item, fileOffset, length);
                if (inline.isPresent()) {
                    return inline.get();
                }
            } else if (fileOffset < extent.end()) {
                return regular(file, extent, item, fileOffset, Math.min(length, extent.end() - fileOffset));
            }
        }
        // A hole: no extent here (NO_HOLES), up to the next extent or the end of the file.
        Optional<Tree.Item> next = tree.first(new Key(handle.inode(), Key.EXTENT_DATA, fileOffset + 1),
                Key.last(handle.inode(), Key.EXTENT_DATA));
        long holeEnd = next.map(item -> item.key().offset()).filter(offset -> offset > fileOffset).orElse(file.size());
        return new Mapping.Zero(Math.min(length, holeEnd - fileOffset));
    }

    private static void checkEncoding(FileExtent extent, String what, long where) throws UnsupportedFeature {
        if (extent.encryption() != 0 || extent.otherEncoding() != 0) {
            throw new UnsupportedFeature(BtrfsVolume.NAMING, what, where, "extent with encryption %d, encoding %d"
                    .formatted(extent.encryption(), extent.otherEncoding()) + " is not read by DiskLens");
        }
        Decompression.checkKnown(extent.compression(), what, where);
    }

    /** Inline data (kept in the leaf, decoded here when compressed), or empty when the offset lies past it. */
    private Optional<Mapping> inline(FileEntry file, FileExtent extent, Tree.Item item, long fileOffset, long length)
            throws IOException {
        String what = "inline extent of " + file.path();
        checkEncoding(extent, what, item.volumeOffset());
        byte[] stored = new byte[extent.inlineLength()];
        item.data().get(FileExtent.INLINE_HEADER, stored);
        byte[] content = stored;
        if (extent.compression() != Decompression.NONE) {
            if (extent.ramBytes() < 0 || extent.ramBytes() > CompressedExtent.MAX_BYTES) {
                throw new LimitExceeded(naming(), what, item.volumeOffset(), "decodes to %s bytes, more than %d"
                        .formatted(Long.toUnsignedString(extent.ramBytes()), CompressedExtent.MAX_BYTES));
            }
            content = new byte[(int) extent.ramBytes()];
            Decompression.decode(extent.compression(), stored, stored.length, content, volume.superblock().sectorSize(),
                    what, item.volumeOffset());
        }
        long into = fileOffset - extent.fileOffset();
        if (into >= content.length) {
            return Optional.empty();
        }
        return Optional.of(new Mapping.Data(new MemoryBlockSource(file.path(), content), into,
                Math.min(length, content.length - into)));
    }

    private Mapping regular(FileEntry file, FileExtent extent, Tree.Item item, long fileOffset, long length)
            throws IOException {
        String what = "extent of %s at file offset 0x%x".formatted(file.path(), extent.fileOffset());
        if (extent.hole()) {
            return new Mapping.Zero(length);
        }
        checkEncoding(extent, what, item.volumeOffset());
        long into = add(extent.offset(), fileOffset - extent.fileOffset(), what, item.volumeOffset());
        if (extent.compression() == Decompression.NONE) {
            long logical = add(extent.diskBytenr(), into, what, item.volumeOffset());
            Chunk.Place place = volume.placesHere(logical, what).getFirst();
            return new Mapping.Data(volume.source(), place.physical(), Math.min(length, place.contiguous()));
        }
        if (extent.diskNumBytes() > CompressedExtent.MAX_BYTES || extent.ramBytes() < 0
                || extent.ramBytes() > CompressedExtent.MAX_BYTES) {
            throw new LimitExceeded(naming(), what, item.volumeOffset(), "compressed extent of %d bytes decoding to %s "
                    .formatted(extent.diskNumBytes(), Long.toUnsignedString(extent.ramBytes()))
                    + "is larger than %d".formatted(CompressedExtent.MAX_BYTES));
        }
        if (into > extent.ramBytes() - length) {
            throw new CorruptImage(naming(), what, item.volumeOffset(), "uses bytes up to 0x%x of an extent that decodes to 0x%x"
                    .formatted(into + length, extent.ramBytes()));
        }
        long hostOffset = volume.placesHere(extent.diskBytenr(), what).getFirst().physical();
        CompressedExtent unit = new CompressedExtent(volume, extent.diskBytenr(), (int) extent.diskNumBytes(),
                (int) extent.ramBytes(), extent.compression(), hostOffset);
        return new Mapping.Compressed(length, hostOffset, (int) into, unit);
    }

    private static long add(long a, long b, String what, long where) throws CorruptImage {
        if (b > Long.MAX_VALUE - a) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "offset 0x%x + 0x%x is past 2^63".formatted(a, b));
        }
        return a + b;
    }

    // ---- free space ----

    @Override
    public void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        new FreeSpace(volume, rootTree).report(sink, progress);
    }
}

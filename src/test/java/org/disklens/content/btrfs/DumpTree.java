package org.disklens.content.btrfs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Tools;

/** What {@code btrfs inspect-internal dump-tree -t TREE} prints about inodes and directory indexes, parsed. */
final class DumpTree {
    /** An INODE_ITEM as dump-tree prints it. */
    record Inode(long number, int mode, long links, long uid, long gid, long size, Instant mtime) {
    }

    /** A DIR_INDEX entry: its name, the location's objectid and key type (INODE_ITEM or ROOT_ITEM). */
    record Entry(String name, long location, String locationType) {
    }

    private static final Pattern ITEM = Pattern.compile("^\\s*item \\d+ key \\((\\S+) (\\S+) (\\S+)\\)");
    private static final Pattern SIZE = Pattern.compile("\\bsize (\\d+) nbytes");
    private static final Pattern MODE = Pattern.compile("mode (\\d+) links (\\d+) uid (\\d+) gid (\\d+)");
    private static final Pattern MTIME = Pattern.compile("^\\s*mtime (\\d+)\\.(\\d+)");
    private static final Pattern LOCATION = Pattern.compile("location key \\((\\S+) (\\S+) \\S+\\)");

    /** A chunk item: logical start, length, and the offsets of its stripes on device 1. */
    record Chunk(long logical, long length, List<Long> offsets) {
        List<Long> physical(long address) {
            return offsets.stream().map(offset -> offset + (address - logical)).toList();
        }
    }

    /** An EXTENT_DATA item: the leaf holding it, its slot, data offset and size, and its disk extent. */
    record Extent(long inode, long leaf, int slot, int itemOffset, int itemSize, long diskBytenr, long diskBytes) {
    }

    private static final Pattern LEAF = Pattern.compile("^leaf (\\d+) items");
    private static final Pattern SLOT = Pattern.compile("^\\s*item (\\d+) key \\((\\d+) EXTENT_DATA \\d+\\) itemoff (\\d+) itemsize (\\d+)");
    private static final Pattern INODE_SLOT = Pattern.compile("^\\s*item (\\d+) key \\((\\d+) INODE_ITEM 0\\)");
    private static final Pattern DISK = Pattern.compile("extent data disk byte (\\d+) nr (\\d+)");
    private static final Pattern CHUNK = Pattern.compile("key \\(FIRST_CHUNK_TREE CHUNK_ITEM (\\d+)\\)");
    private static final Pattern CHUNK_LENGTH = Pattern.compile("length (\\d+) owner");
    private static final Pattern STRIPE = Pattern.compile("stripe \\d+ devid 1 offset (\\d+)");

    final Map<Long, Inode> inodes = new HashMap<>();
    final Map<Long, List<Extent>> extents = new HashMap<>();
    /** Where each INODE_ITEM is: its leaf and its slot there. */
    final Map<Long, long[]> inodeSlots = new HashMap<>();
    final Map<Long, List<Entry>> directories = new LinkedHashMap<>();

    /** dump-tree of tree {@code tree} ("fs", or a subvolume id). */
    static DumpTree of(Path image, String tree) {
        DumpTree dump = new DumpTree();
        String out = Tools.run(image.getParent(), "btrfs", "inspect-internal", "dump-tree", "-t", tree, image.toString());
        String[] lines = out.split("\n");
        long currentLeaf = -1;
        for (int i = 0; i < lines.length; i++) {
            Matcher leaf = LEAF.matcher(lines[i]);
            if (leaf.find()) {
                currentLeaf = Long.parseLong(leaf.group(1));
            }
            Matcher slot = SLOT.matcher(lines[i]);
            if (slot.find()) {
                Matcher disk = DISK.matcher(lines[i + 2]);
                boolean regular = disk.find();
                long inode = Long.parseLong(slot.group(2));
                dump.extents.computeIfAbsent(inode, key -> new ArrayList<>()).add(new Extent(inode, currentLeaf,
                        Integer.parseInt(slot.group(1)), Integer.parseInt(slot.group(3)), Integer.parseInt(slot.group(4)),
                        regular ? Long.parseLong(disk.group(1)) : 0, regular ? Long.parseLong(disk.group(2)) : 0));
            }
            Matcher inodeSlot = INODE_SLOT.matcher(lines[i]);
            if (inodeSlot.find()) {
                dump.inodeSlots.put(Long.parseLong(inodeSlot.group(2)),
                        new long[] {currentLeaf, Integer.parseInt(inodeSlot.group(1))});
            }
            Matcher item = ITEM.matcher(lines[i]);
            if (!item.find() || !item.group(1).matches("\\d+")) {
                continue;
            }
            long objectId = Long.parseUnsignedLong(item.group(1));
            if (item.group(2).equals("INODE_ITEM")) {
                Matcher size = SIZE.matcher(lines[i + 1]);
                Matcher mode = MODE.matcher(lines[i + 2]);
                Matcher mtime = MTIME.matcher(lines[i + 6]);
                if (size.find() && mode.find() && mtime.find()) {
                    dump.inodes.put(objectId, new Inode(objectId, Integer.parseInt(mode.group(1), 8),
                            Long.parseLong(mode.group(2)), Long.parseLong(mode.group(3)), Long.parseLong(mode.group(4)),
                            Long.parseLong(size.group(1)), Instant.ofEpochSecond(Long.parseUnsignedLong(mtime.group(1)),
                                    Long.parseLong(mtime.group(2)))));
                }
            } else if (item.group(2).equals("DIR_INDEX")) {
                Matcher location = LOCATION.matcher(lines[i + 1]);
                String nameLine = lines[i + 3];
                if (location.find() && nameLine.strip().startsWith("name: ")) {
                    String name = nameLine.substring(nameLine.indexOf("name: ") + 6);
                    long target = location.group(1).equals("FS_TREE") ? 5 : Long.parseUnsignedLong(location.group(1));
                    dump.directories.computeIfAbsent(objectId, key -> new ArrayList<>())
                            .add(new Entry(name, target, location.group(2)));
                }
            }
        }
        return dump;
    }

    /** The chunk tree's chunks (stripes on device 1), from dump-tree -t chunk. */
    static List<Chunk> chunks(Path image) {
        String[] lines = Tools.run(image.getParent(), "btrfs", "inspect-internal", "dump-tree", "-t", "chunk",
                image.toString()).split("\n");
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher chunk = CHUNK.matcher(lines[i]);
            if (chunk.find()) {
                Matcher length = CHUNK_LENGTH.matcher(lines[i + 1]);
                length.find();
                List<Long> offsets = new ArrayList<>();
                for (int j = i + 2; j < lines.length && !lines[j].contains(" key ("); j++) {
                    Matcher stripe = STRIPE.matcher(lines[j]);
                    if (stripe.find()) {
                        offsets.add(Long.parseLong(stripe.group(1)));
                    }
                }
                chunks.add(new Chunk(Long.parseLong(chunk.group(1)), Long.parseLong(length.group(1)), offsets));
            }
        }
        return chunks;
    }

    /** Every device offset of logical {@code address}. */
    static List<Long> physical(List<Chunk> chunks, long address) {
        return chunks.stream().filter(c -> address >= c.logical() && address < c.logical() + c.length()).findFirst()
                .orElseThrow(() -> new AssertionError("no chunk holds logical " + address)).physical(address);
    }
}

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

    final Map<Long, Inode> inodes = new HashMap<>();
    final Map<Long, List<Entry>> directories = new LinkedHashMap<>();

    /** dump-tree of tree {@code tree} ("fs", or a subvolume id). */
    static DumpTree of(Path image, String tree) {
        DumpTree dump = new DumpTree();
        String out = Tools.run(image.getParent(), "btrfs", "inspect-internal", "dump-tree", "-t", tree, image.toString());
        String[] lines = out.split("\n");
        for (int i = 0; i < lines.length; i++) {
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
}

package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Tools;

/**
 * Makes XFS images with {@code mkfs.xfs -p PROTOFILE} (no mount needed) and reads xfs_db's answers about them:
 * directory listings in on-disk order, inode fields, free extents.
 */
final class XfsImages {
    /** The smallest data section mkfs.xfs makes with its defaults (it refuses less than 300 MiB). */
    static final String SIZE = "300M";

    private XfsImages() {
    }

    /** A protofile being written: one line per entry, directories closed by "$". */
    static final class Proto {
        private final List<String> lines = new ArrayList<>(List.of("boot", "0 0", "d--755 0 0"));

        Proto file(String name, String mode, long uid, long gid, Path source) {
            lines.add("%s -%s %d %d %s".formatted(name, mode, uid, gid, source));
            return this;
        }

        Proto symlink(String name, String target) {
            lines.add("%s l--777 0 0 %s".formatted(name, target));
            return this;
        }

        Proto device(String name, char type, int major, int minor) {
            lines.add("%s %c--644 0 0 %d %d".formatted(name, type, major, minor));
            return this;
        }

        Proto fifo(String name) {
            lines.add(name + " p--644 0 0");
            return this;
        }

        Proto directory(String name, String mode) {
            lines.add("%s d%s 0 0".formatted(name, mode));
            return this;
        }

        Proto end() {
            lines.add("$");
            return this;
        }

        Path write(Path file) throws IOException {
            List<String> all = new ArrayList<>(lines);
            all.add("$");
            Files.write(file, all);
            return file;
        }
    }

    /** {@code mkfs.xfs -q OPTIONS -p proto} on a fresh sparse file of {@link #SIZE}. */
    static Path mkfs(Path dir, String name, Path proto, List<String> options) {
        Path image = dir.resolve(name);
        Tools.run(dir, "truncate", "-s", SIZE, image.toString());
        List<String> command = new ArrayList<>(List.of("mkfs.xfs", "-q", "-f"));
        command.addAll(options);
        command.addAll(List.of("-p", proto.toString(), image.toString()));
        Tools.run(dir, command.toArray(String[]::new));
        return image;
    }

    /** Runs xfs_db commands (read-only, or {@code -x} to write) in one process; returns what it printed. */
    static String xfsDb(Path image, boolean write, List<String> commands) throws IOException {
        Path script = Files.createTempFile(image.getParent(), "xfs_db", ".txt");
        Files.write(script, commands);
        String out = Tools.run(image.getParent(), "sh", "-c", "xfs_db " + (write ? "-x" : "-r") + " \"$0\" < \"$1\"",
                image.toString(), script.toString());
        Files.delete(script);
        return out;
    }

    /** One line of xfs_db's {@code ls}. */
    record Listed(String name, long inode, String type) {
    }

    private static final Pattern LS = Pattern.compile("^\\d+\\s+(\\d+)\\s+(\\S+)\\s+0x[0-9a-f]+\\s+\\d+\\s(.*) \\((\\w+)\\)$");

    /** xfs_db's {@code ls} of a directory, in on-disk order, without "." and "..". */
    static List<Listed> ls(Path image, String directory) throws IOException {
        List<Listed> listed = new ArrayList<>();
        for (String line : xfsDb(image, false, List.of("path " + directory, "ls")).split("\n")) {
            Matcher matcher = LS.matcher(line.strip());
            if (matcher.matches() && !matcher.group(3).equals(".") && !matcher.group(3).equals("..")) {
                listed.add(new Listed(matcher.group(3), Long.parseLong(matcher.group(1)), matcher.group(2)));
            }
        }
        return listed;
    }

    /** What xfs_db prints of an inode's core. */
    record Stat(int mode, long uid, long gid, long links, long size, Instant mtime, int format) {
    }

    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    /** xfs_db's print of each inode's core, in one run. */
    static Map<Long, Stat> stat(Path image, List<Long> inodes) throws IOException {
        List<String> commands = new ArrayList<>();
        for (long inode : inodes) {
            commands.add("echo ==== " + inode);
            commands.add("inode " + inode);
            commands.add("print core.mode core.uid core.gid core.version core.onlink core.nlinkv2 core.size "
                    + "core.mtime.sec core.mtime.nsec core.format");
        }
        Map<Long, Stat> stats = new HashMap<>();
        String[] parts = xfsDb(image, false, commands).split("==== ");
        for (int i = 1; i < parts.length; i++) {
            Map<String, String> fields = new HashMap<>();
            String[] lines = parts[i].split("\n");
            for (String line : lines) {
                int equals = line.indexOf(" = ");
                if (equals > 0) {
                    fields.put(line.substring(0, equals).strip(), line.substring(equals + 3).strip());
                }
            }
            long links = fields.get("core.version").equals("1") ? Long.parseLong(fields.get("core.onlink"))
                    : Long.parseLong(fields.get("core.nlinkv2"));
            Instant seconds = LocalDateTime.parse(fields.get("core.mtime.sec").replaceAll("\\s+", " "), CTIME)
                    .toInstant(ZoneOffset.UTC);
            stats.put(Long.parseLong(lines[0].strip()), new Stat(Integer.parseInt(fields.get("core.mode"), 8),
                    Long.parseLong(fields.get("core.uid")), Long.parseLong(fields.get("core.gid")), links,
                    Long.parseLong(fields.get("core.size")), seconds.plusNanos(Long.parseLong(fields.get("core.mtime.nsec"))),
                    Integer.parseInt(fields.get("core.format").split(" ")[0])));
        }
        return stats;
    }

    /** The inode number of a path, from xfs_db's listing of its parent. */
    static long inodeOf(Path image, String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String parent = slash == 0 ? "/" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        return ls(image, parent).stream().filter(listed -> listed.name().equals(name)).findFirst().orElseThrow().inode();
    }

    /** The file-system blocks of a file as xfs_db's bmap says them: {startoff, startblock, count, flag} each. */
    static List<long[]> bmap(Path image, String path) throws IOException {
        Pattern extent = Pattern.compile("data offset (\\d+) startblock (\\d+) \\(\\d+/\\d+\\) count (\\d+) flag (\\d)");
        List<long[]> extents = new ArrayList<>();
        for (String line : xfsDb(image, false, List.of("path " + path, "bmap")).split("\n")) {
            Matcher matcher = extent.matcher(line);
            if (matcher.find()) {
                extents.add(new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4))});
            }
        }
        return extents;
    }

    /** One {@code sb 0} field as xfs_db prints it. */
    static long superblockField(Path image, String field) throws IOException {
        String out = xfsDb(image, false, List.of("sb 0", "print " + field));
        return Long.decode(out.substring(out.indexOf(" = ") + 3).strip());
    }

    /**
     * Free space as xfs_db's {@code freesp -d} lists it, less the AG free list blocks (which freesp counts too), as
     * merged [volume offset, length] runs.
     */
    static List<long[]> freeRanges(Path image) throws IOException {
        long blockSize = superblockField(image, "blocksize");
        long agBlocks = superblockField(image, "agblocks");
        long agCount = superblockField(image, "agcount");
        List<String> commands = new ArrayList<>();
        for (long ag = 0; ag < agCount; ag++) {
            commands.addAll(List.of("echo ==== " + ag, "agfl " + ag, "print bno"));
        }
        java.util.Set<Long> freeList = new java.util.HashSet<>();
        for (String part : xfsDb(image, false, commands).split("==== ")) {
            if (part.isBlank()) {
                continue;
            }
            long ag = Long.parseLong(part.lines().findFirst().orElseThrow().strip());
            Matcher slot = Pattern.compile("\\d+:(\\d+)").matcher(part.substring(part.indexOf('=') + 1));
            while (slot.find()) {
                freeList.add(ag * agBlocks + Long.parseLong(slot.group(1)));
            }
        }
        List<long[]> ranges = new ArrayList<>();
        for (String line : xfsDb(image, false, List.of("freesp -d")).split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length != 3 || !fields[0].matches("\\d+")) {
                continue;
            }
            long first = Long.parseLong(fields[0]) * agBlocks + Long.parseLong(fields[1]);
            for (long block = first; block < first + Long.parseLong(fields[2]); block++) {
                if (freeList.contains(block)) {
                    continue;
                }
                long offset = block * blockSize;
                if (!ranges.isEmpty() && ranges.getLast()[0] + ranges.getLast()[1] == offset) {
                    ranges.getLast()[1] += blockSize;
                } else {
                    ranges.add(new long[] {offset, blockSize});
                }
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        return ranges;
    }

    /** Writes {@code value} big-endian, {@code width} bytes, at {@code offset} of {@code image}. */
    static void poke(Path image, long offset, long value, int width) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(0, value << (8 * (8 - width)))
                .limit(width);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.WRITE)) {
            channel.write(bytes, offset);
        }
    }

    /** Byte offset of an inode, from the superblock's geometry as xfs_db prints it. */
    static long inodeOffset(Path image, long inode) throws IOException {
        long blockSize = superblockField(image, "blocksize");
        long agBlocks = superblockField(image, "agblocks");
        long agBlockLog = superblockField(image, "agblklog");
        long inodesPerBlockLog = superblockField(image, "inopblog");
        long inodeSize = superblockField(image, "inodesize");
        long ag = inode >>> (agBlockLog + inodesPerBlockLog);
        long agBlock = (inode >>> inodesPerBlockLog) & ((1L << agBlockLog) - 1);
        long index = inode & ((1L << inodesPerBlockLog) - 1);
        return (ag * agBlocks + agBlock) * blockSize + index * inodeSize;
    }
}

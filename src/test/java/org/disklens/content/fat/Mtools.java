package org.disklens.content.fat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.disklens.testing.Tools;

/** The reference answers of mtools (mdir, mcopy) and dosfstools (fsck.fat) for FAT images, parsed. */
final class Mtools {
    /** After the 8.3 columns: size or {@code <DIR>}, date, time (minutes), and the long name when there is one. */
    private static final Pattern ENTRY = Pattern.compile(
            " +(<DIR>|\\d+) +(\\d{4})-(\\d\\d)-(\\d\\d) +(\\d+):(\\d\\d) (?: (.+))?");

    private Mtools() {
    }

    /** What mdir shows of an entry: type ({@code file}/{@code dir}), size (files), modification time to the minute. */
    record Listed(String type, long size, LocalDateTime minute) {
    }

    /**
     * Every entry below the root as mdir lists it ({@code mdir -/ -a}), by path, without {@code .} and {@code ..};
     * {@code image} may carry an mtools offset ({@code disk.img@@1M}).
     */
    static Map<String, Listed> mdir(Path dir, String image) {
        String out = Tools.run(dir, "env", "LC_ALL=C.UTF-8", "TZ=UTC", "mdir", "-/", "-a", "-i", image, "::");
        Map<String, Listed> listed = new TreeMap<>();
        String directory = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("Directory for ::")) {
                directory = line.substring("Directory for ::".length());
                continue;
            }
            if (directory == null || line.length() < 13) {
                continue;
            }
            Matcher entry = ENTRY.matcher(line.substring(12));
            if (!entry.matches()) {
                continue;
            }
            String name = entry.group(7) != null ? entry.group(7) : shortName(line.substring(0, 8), line.substring(9, 12));
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            boolean isDirectory = entry.group(1).equals("<DIR>");
            LocalDateTime minute = LocalDateTime.of(Integer.parseInt(entry.group(2)), Integer.parseInt(entry.group(3)),
                    Integer.parseInt(entry.group(4)), Integer.parseInt(entry.group(5)), Integer.parseInt(entry.group(6)));
            String path = directory.endsWith("/") ? directory + name : directory + "/" + name;
            listed.put(path, new Listed(isDirectory ? "dir" : "file", isDirectory ? 0 : Long.parseLong(entry.group(1)), minute));
        }
        return listed;
    }

    private static String shortName(String base, String extension) {
        return extension.isBlank() ? base.strip() : base.strip() + "." + extension.strip();
    }

    /** Copies the whole volume out with mcopy (keeping names) into {@code target}. */
    static void extractAll(Path dir, String image, Path target) {
        Tools.run(dir, "mkdir", "-p", target.toString());
        Tools.run(dir, "env", "LC_ALL=C.UTF-8", "mcopy", "-s", "-n", "-i", image, "::/*", target.toString());
    }

    /** fsck.fat's "N files, USED/TOTAL clusters" closing line: used and total. */
    static long[] fsckClusters(Path dir, String image) {
        Tools.Result result = Tools.exec(dir, "fsck.fat", "-n", "-v", image);
        Matcher counts = Pattern.compile(", (\\d+)/(\\d+) clusters").matcher(result.out());
        if (!counts.find()) {
            throw new IllegalStateException("fsck.fat said: " + result.out() + result.err());
        }
        return new long[] {Long.parseLong(counts.group(1)), Long.parseLong(counts.group(2))};
    }

    /** How many bits fsck.fat says a FAT entry has (12, 16 or 32). */
    static int fsckEntryBits(Path dir, String image) {
        Matcher bits = Pattern.compile("(\\d+) bit entries").matcher(Tools.exec(dir, "fsck.fat", "-n", "-v", image).out());
        if (!bits.find()) {
            throw new IllegalStateException("fsck.fat did not say its entry width");
        }
        return Integer.parseInt(bits.group(1));
    }
}

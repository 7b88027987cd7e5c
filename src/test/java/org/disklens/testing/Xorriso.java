package org.disklens.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** xorriso's view of an ISO: {@code -find / -exec lsdl}, parsed into path → (type, size, target). */
public final class Xorriso {
    private static final Pattern LINE = Pattern.compile(
            "^([dl-])\\S+\\s+\\d+\\s+\\S+\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+\\d+\\s+\\S+\\s+'(.*?)'(?: -> '(.*)')?$");

    private Xorriso() {
    }

    /** One listed entry; sizes of directories and links are not compared (xorriso prints 0). */
    public record Entry(String type, long size, String target) {
    }

    public static Map<String, Entry> list(Path dir, String iso) {
        String out = Tools.run(dir, "xorriso", "-indev", iso, "-find", "/", "-exec", "lsdl");
        Map<String, Entry> entries = new TreeMap<>();
        for (String line : out.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches() || matcher.group(3).equals("/")) {
                continue;
            }
            String type = switch (matcher.group(1)) {
                case "d" -> "dir";
                case "l" -> "symlink";
                default -> "file";
            };
            entries.put(matcher.group(3).replace("'\"'\"'", "'"), new Entry(type,
                    type.equals("file") ? Long.parseLong(matcher.group(2)) : 0, matcher.group(4)));
        }
        return entries;
    }
}

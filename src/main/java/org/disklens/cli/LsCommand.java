package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.disklens.content.FileEntry;
import org.disklens.content.FileTree;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ls}: list a directory of an ISO (or of an ISO inside any image), with -R the whole tree below it. */
@Command(name = "ls", description = "List an ISO's directory (UDF or Rock Ridge names first, then Joliet, then ISO 9660).")
final class LsCommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @Mixin
    ImageOptions options;

    @Option(names = "--json", description = "Print a JSON array of {path, type, size, mtime, target}.")
    boolean json;

    @Option(names = "-R", description = "List every directory below PATH too.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "ISO")
    String file;

    @Parameters(index = "1", paramLabel = "PATH", defaultValue = "/")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (ContentSource content = ContentSource.open(options, file)) {
            FileTree tree = content.tree();
            FileEntry start = tree.resolve(path).orElseThrow(() -> new ImageException("no such path in the image: " + path));
            List<FileEntry> entries = new ArrayList<>();
            if (!start.directory()) {
                entries.add(start);
            } else if (recursive) {
                tree.walk(start, entries::add, ProgressListener.NONE);
            } else {
                entries.addAll(tree.list(start));
            }
            if (json) {
                Json.print(out, entries.stream().map(LsCommand::fields).toList());
            } else {
                printHuman(out, entries);
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> fields(FileEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", entry.path());
        fields.put("type", entry.type().label());
        fields.put("size", entry.size());
        entry.modified().ifPresent(time -> fields.put("mtime", time.toString()));
        entry.target().ifPresent(target -> fields.put("target", target));
        return fields;
    }

    private static void printHuman(PrintWriter out, List<FileEntry> entries) {
        int width = entries.stream().mapToInt(entry -> Long.toString(entry.size()).length()).max().orElse(1);
        for (FileEntry entry : entries) {
            char kind = switch (entry.type()) {
                case DIRECTORY -> 'd';
                case SYMLINK -> 'l';
                case FILE -> '-';
            };
            String date = entry.modified().map(DATE::format).orElse(" ".repeat(16));
            out.printf("%c %" + width + "d %s %s%s%n", kind, entry.size(), date, entry.path(),
                    entry.target().map(target -> " -> " + target).orElse(""));
        }
    }
}

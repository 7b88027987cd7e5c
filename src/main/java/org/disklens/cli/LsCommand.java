package org.disklens.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
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
            if (json) {
                printJson(out, tree, start);
            } else {
                List<FileEntry> entries = new ArrayList<>();
                visit(tree, start, entries::add);
                printHuman(out, entries);
            }
        }
        out.flush();
        return 0;
    }

    /** The entry itself if it is not a directory, else what is in it (with -R, all below it), in order. */
    private void visit(FileTree tree, FileEntry start, FileTree.Visitor visitor) throws IOException {
        if (!start.directory()) {
            visitor.visit(start);
        } else if (recursive) {
            tree.walk(start, visitor, ProgressListener.NONE);
        } else {
            for (FileEntry entry : tree.list(start)) {
                visitor.visit(entry);
            }
        }
    }

    /** Written as the tree is walked: a listing of 100,000 files is never held in memory. */
    private void printJson(PrintWriter out, FileTree tree, FileEntry start) throws IOException {
        try (JsonGenerator json = Json.stream(out)) {
            json.writeStartArray();
            visit(tree, start, entry -> {
                json.writeStartObject();
                json.writeStringField("path", entry.path());
                json.writeStringField("type", entry.type().label());
                json.writeNumberField("size", entry.size());
                if (entry.modified().isPresent()) {
                    json.writeStringField("mtime", entry.modified().get().toString());
                }
                if (entry.target().isPresent()) {
                    json.writeStringField("target", entry.target().get());
                }
                json.writeEndObject();
            });
            json.writeEndArray();
        }
        out.println();
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

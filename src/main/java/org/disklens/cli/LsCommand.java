package org.disklens.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;

/** {@code ls}: list a directory of an ISO (or of an ISO inside any image), with -R the whole tree below it. */
final class LsCommand implements Verb {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    final ImageOptions options = new ImageOptions();

    boolean json;

    boolean recursive;

    String file;

    String path = "/";

    @Override
    public Syntax syntax() {
        return options.declare(new Syntax(DiskLensCommand.commandName("ls"),
                        "List an ISO's directory (UDF or Rock Ridge names first, then Joliet, then ISO 9660)."))
                .flag("--json", "Print a JSON array of {path, type, size, mtime, target}.", () -> json = true)
                .flag("-R", "List every directory below PATH too.", () -> recursive = true)
                .parameter("ISO", value -> file = value)
                .optionalParameter("PATH", value -> path = value);
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (ContentSource content = ContentSource.open(options, file)) {
            FileSystem tree = content.fileSystem();
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
    private void visit(FileSystem tree, FileEntry start, FileSystem.Visitor visitor) throws IOException {
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
    private void printJson(PrintWriter out, FileSystem tree, FileEntry start) throws IOException {
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
                case OTHER -> '?';
            };
            String date = entry.modified().map(DATE::format).orElse(" ".repeat(16));
            out.printf("%c %" + width + "d %s %s%s%n", kind, entry.size(), date, entry.path(),
                    entry.target().map(target -> " -> " + target).orElse(""));
        }
    }
}

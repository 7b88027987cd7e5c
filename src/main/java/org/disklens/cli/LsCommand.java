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

/** {@code ls}: list a directory of a guest file system or an ISO, with -R the whole tree below it. */
final class LsCommand implements Verb {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    final ImageOptions options = new ImageOptions();

    final ContentSource.VolumeOption volume = new ContentSource.VolumeOption();

    boolean json;

    boolean recursive;

    String file;

    String path = "/";

    @Override
    public Syntax syntax() {
        return volume.declare(options.declare(new Syntax(DiskLensCommand.commandName("ls"),
                        "List a directory of a guest file system or an ISO (UDF or Rock Ridge names first, then Joliet, "
                        + "then ISO 9660).")))
                .flag("--json", "Print a JSON array of {path, type, size, mtime, target, mode, uid, gid, links, inode}.",
                        () -> json = true)
                .flag("-R", "List every directory below PATH too.", () -> recursive = true)
                .parameter("IMAGE", options.image(value -> file = value))
                .optionalParameter("PATH", value -> path = value);
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (ContentSource content = ContentSource.open(options, file, volume)) {
            try {
                FileSystem tree = content.fileSystem();
                FileEntry start = tree.resolve(path).orElseThrow(() -> new ImageException("no such path in the image: " + path));
                if (json) {
                    printJson(out, tree, start);
                } else {
                    List<FileEntry> entries = new ArrayList<>();
                    visit(tree, start, entries::add);
                    printHuman(out, entries);
                }
            } finally {
                out.flush();
                Warnings.print(err, content);
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
                writeAttributes(json, entry.attributes());
                json.writeEndObject();
            });
            json.writeEndArray();
        }
        out.println();
    }

    /** What POSIX-like file systems add; ISO 9660 and UDF entries have none of these, so their listing stays as it was. */
    private static void writeAttributes(JsonGenerator json, FileEntry.Attributes attributes) throws IOException {
        if (attributes.mode().isPresent()) {
            json.writeNumberField("mode", attributes.mode().getAsInt());
        }
        if (attributes.uid().isPresent()) {
            json.writeNumberField("uid", attributes.uid().getAsLong());
        }
        if (attributes.gid().isPresent()) {
            json.writeNumberField("gid", attributes.gid().getAsLong());
        }
        if (attributes.links().isPresent()) {
            json.writeNumberField("links", attributes.links().getAsLong());
        }
        if (attributes.inode().isPresent()) {
            json.writeNumberField("inode", attributes.inode().getAsLong());
        }
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

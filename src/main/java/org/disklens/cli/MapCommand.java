package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;
import org.disklens.inspect.AllocationMap;
import org.disklens.inspect.MapEntry;

/** {@code map}: the guest disk's allocation, as extents, streamed (never held in memory). */
final class MapCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    String file;

    @Override
    public Syntax syntax() {
        Syntax syntax = new Syntax(DiskLensCommand.commandName("map"),
                "Show where the guest disk's data is: which layer, zero or data, and host offset.");
        output.declare(options.declare(syntax)).parameter("FILE", value -> file = value);
        return syntax;
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (ImageChain chain = options.openChain(file)) {
            Warnings.print(err, chain);
            AllocationMap map = new AllocationMap(chain);
            if (output.json) {
                printJson(out, map);
            } else {
                printHuman(out, map, chain);
            }
        }
        out.flush();
        return 0;
    }

    private static void printJson(PrintWriter out, AllocationMap map) throws IOException {
        boolean[] first = {true};
        out.print("[");
        map.walk(entry -> {
            out.print(first[0] ? "" : ",\n");
            out.print(jsonLine(entry));
            first[0] = false;
        }, ProgressListener.NONE);
        out.println("]");
    }

    /** One entry as a JSON object, written directly: a map can have millions of entries. */
    static String jsonLine(MapEntry entry) {
        StringBuilder line = new StringBuilder(160).append("{\"start\": ").append(entry.start())
                .append(", \"length\": ").append(entry.length())
                .append(", \"depth\": ").append(entry.depth())
                .append(", \"present\": ").append(entry.present())
                .append(", \"zero\": ").append(entry.zero())
                .append(", \"data\": ").append(entry.data())
                .append(", \"compressed\": ").append(entry.compressed());
        if (entry.hasOffset()) {
            line.append(", \"offset\": ").append(entry.offset());
        }
        return line.append('}').toString();
    }

    static Map<String, Object> fields(MapEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("start", entry.start());
        fields.put("length", entry.length());
        fields.put("depth", entry.depth());
        fields.put("present", entry.present());
        fields.put("zero", entry.zero());
        fields.put("data", entry.data());
        fields.put("compressed", entry.compressed());
        if (entry.hasOffset()) {
            fields.put("offset", entry.offset());
        }
        return fields;
    }

    /** qemu-img's human map: only runs stored as data somewhere, with the file that holds them. */
    private static void printHuman(PrintWriter out, AllocationMap map, ImageChain chain) throws IOException {
        out.printf("%-16s%-16s%-16s%s%n", "Offset", "Length", "Mapped to", "File");
        map.walk(entry -> {
            if (entry.data() && entry.hasOffset()) {
                String holder = chain.layers().get(entry.depth()).path().toString();
                out.printf("%#-16x%#-16x%#-16x%s%n", entry.start(), entry.length(), entry.offset(), holder);
            } else if (entry.compressed()) {
                String holder = chain.layers().get(entry.depth()).path().toString();
                out.printf("%#-16x%#-16x%-16s%s%n", entry.start(), entry.length(), "compressed", holder);
            }
        }, ProgressListener.NONE);
    }
}

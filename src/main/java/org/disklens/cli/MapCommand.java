package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.ImageChain;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.inspect.AllocationMap;
import org.disklens.inspect.MapEntry;
import org.disklens.io.FileSource;

/** {@code map}: the guest disk's allocation, as extents, streamed (never held in memory). */
final class MapCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    String file;
    long startOffset;
    long maxLength = -1;

    @Override
    public Syntax syntax() {
        Syntax syntax = new Syntax(DiskLensCommand.commandName("map"),
                "Show where the guest disk's data is: which layer, zero or data, and host offset.");
        output.declare(options.declare(syntax))
                .option("--start-offset", "OFFSET", "Map from this guest offset on (qemu-img's; k, M, G... suffixes).",
                        value -> startOffset = size("start offset", value))
                .option("--max-length", "LENGTH", "Map at most this many bytes.", value -> maxLength = size("max length", value))
                .parameter("FILE", options.image(value -> file = value));
        return syntax;
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (ImageChain chain = options.openChain(file)) {
            options.unlockNamed(file, chain);
            AllocationMap map = new AllocationMap(chain);
            if (output.json) {
                printJson(out, map, startOffset, end(chain.virtualSize()));
            } else {
                printHuman(out, map, chain);
            }
            out.flush();
            Warnings.print(err, chain);
        }
        out.flush();
        return 0;
    }

    private static void printJson(PrintWriter out, AllocationMap map, long start, long end) throws IOException {
        boolean[] first = {true};
        out.print("[");
        map.walk(start, end, entry -> {
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

    /**
     * qemu-img's human map: the runs that hold non-zero data, with the file that holds them, named as qemu names it
     * (the image as given, each backing file combined with the name of the layer above). qemu-img refuses images
     * with compressed or encrypted clusters here; DiskLens lists those runs as {@code compressed} or {@code encrypted}
     * instead (an encrypted run's host offset is not shown, as qemu-img's JSON map leaves it out).
     */
    private void printHuman(PrintWriter out, AllocationMap map, ImageChain chain) throws IOException {
        List<String> names = layerNames(chain);
        out.printf("%-16s%-16s%-16s%s%n", "Offset", "Length", "Mapped to", "File");
        map.walk(startOffset, end(chain.virtualSize()), entry -> {
            if (entry.compressed()) {
                out.printf("%-16s%-16s%-16s%s%n", hex(entry.start()), hex(entry.length()), "compressed",
                        names.get(entry.depth()));
            } else if (entry.data() && !entry.zero() && !entry.hasOffset()
                    && chain.layers().get(entry.depth()).image().encrypted()) {
                out.printf("%-16s%-16s%-16s%s%n", hex(entry.start()), hex(entry.length()), "encrypted",
                        names.get(entry.depth()));
            } else if (entry.data() && !entry.zero() && entry.hasOffset()) {
                out.printf("%-16s%-16s%-16s%s%n", hex(entry.start()), hex(entry.length()), hex(entry.offset()),
                        holder(chain.layers().get(entry.depth()), names.get(entry.depth()), entry.start()));
            }
        }, ProgressListener.NONE);
    }

    /**
     * The file that holds the data at {@code guestOffset} of {@code layer}: the layer itself, or another file it
     * refers to (a VMDK extent, a qcow2 data file), named relative to the layer's name as qemu does.
     */
    private static String holder(ImageChain.Layer layer, String layerName, long guestOffset) throws IOException {
        if (layer.image().map(guestOffset, 1) instanceof Mapping.Data data && data.source() != layer.image().source()
                && data.source() instanceof FileSource file && layer.path().getParent() != null) {
            return InfoCommand.combine(layerName, layer.path().getParent().relativize(file.path().toAbsolutePath()).toString());
        }
        return layerName;
    }

    private List<String> layerNames(ImageChain chain) {
        List<String> names = new ArrayList<>();
        String name = file;
        for (ImageChain.Layer layer : chain.layers()) {
            names.add(name);
            name = layer.image().backing().map(backing -> InfoCommand.combine(names.getLast(), backing.name())).orElse("");
        }
        return names;
    }

    /** The end of the mapped range: qemu-img's {@code MIN(start + max_length, size)}. */
    private long end(long size) {
        return maxLength < 0 ? size : Math.min(size, startOffset + Math.min(maxLength, Long.MAX_VALUE - startOffset));
    }

    /** A size as qemu-img's cvtnum reads it, refused with its words. */
    private static long size(String what, String value) throws Syntax.UsageError {
        try {
            long parsed = org.disklens.image.QemuSize.parse(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException invalid) {
            // said below
        }
        throw new Syntax.UsageError("Invalid %s specified. You may use k, M, G, T, P or E suffixes for kilobytes, "
                .formatted(what) + "megabytes, gigabytes, terabytes, petabytes and exabytes.");
    }

    /** C's {@code %#x}, as qemu-img prints: {@code 0} for zero, else {@code 0x...}. */
    static String hex(long value) {
        return value == 0 ? "0" : "0x" + Long.toHexString(value);
    }
}

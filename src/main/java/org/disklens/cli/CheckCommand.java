package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.CheckReport;
import org.disklens.image.DiskImage;
import org.disklens.image.ProgressListener;

/** {@code check}: read-only metadata consistency, with qemu-img's counters and exit codes. */
final class CheckCommand implements Verb {
    static final int NOT_SUPPORTED = 63;

    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    String file;

    @Override
    public Syntax syntax() {
        Syntax syntax = new Syntax(DiskLensCommand.commandName("check"),
                "Check the image's metadata (read-only). Exit 2: corruptions, 3: leaks, 63: no check for this format.");
        ImageOptions.declareSourceCache(output.declare(options.declare(syntax)))
                .refused("-r", "leaks|all", "repairing writes to the image, and DiskLens never does (qemu-img check -r does)")
                .parameter("FILE", options.image(value -> file = value));
        return syntax;
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (DiskImage image = options.open(file)) {
            Optional<CheckReport> checked = image.check(ProgressListener.NONE);
            if (checked.isEmpty()) {
                err.println("disklens: %s: format %s has no consistency check".formatted(file, image.format()));
                err.flush();
                return NOT_SUPPORTED;
            }
            CheckReport report = checked.get();
            report.messages().forEach(err::println);
            err.flush();
            if (output.json) {
                Json.print(out, fields(file, image.format(), report));
            } else {
                printHuman(out, report);
            }
            out.flush();
            return report.exitCode();
        }
    }

    /** qemu-img leaves out counters that are zero (but always shows {@code check-errors}). */
    static Map<String, Object> fields(String file, String format, CheckReport report) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filename", file);
        fields.put("format", format);
        fields.put("check-errors", report.checkErrors());
        putIfNonZero(fields, "corruptions", report.corruptions());
        putIfNonZero(fields, "leaks", report.leaks());
        putIfNonZero(fields, "image-end-offset", report.imageEndOffset());
        putIfNonZero(fields, "total-clusters", report.totalClusters());
        putIfNonZero(fields, "allocated-clusters", report.allocatedClusters());
        putIfNonZero(fields, "fragmented-clusters", report.fragmentedClusters());
        putIfNonZero(fields, "compressed-clusters", report.compressedClusters());
        return fields;
    }

    private static void putIfNonZero(Map<String, Object> fields, String key, long value) {
        if (value != 0) {
            fields.put(key, value);
        }
    }

    private static void printHuman(PrintWriter out, CheckReport report) {
        if (report.corruptions() == 0 && report.leaks() == 0 && report.checkErrors() == 0) {
            out.println("No errors were found on the image.");
        }
        if (report.corruptions() > 0) {
            out.printf("%n%d errors were found on the image.%nData may be corrupted, or further writes to the image may corrupt it.%n",
                    report.corruptions());
        }
        if (report.leaks() > 0) {
            out.printf("%n%d leaked clusters were found on the image.%nThis means waste of disk space, but no harm to data.%n",
                    report.leaks());
        }
        if (report.checkErrors() > 0) {
            out.printf("%n%d internal errors have occurred during the check.%n", report.checkErrors());
        }
        if (report.totalClusters() != 0 && report.allocatedClusters() != 0) {
            long allocated = report.allocatedClusters();
            out.printf("%d/%d = %.2f%% allocated, %.2f%% fragmented, %.2f%% compressed clusters%n",
                    allocated, report.totalClusters(), 100.0 * allocated / report.totalClusters(),
                    100.0 * report.fragmentedClusters() / allocated, 100.0 * report.compressedClusters() / allocated);
        }
        if (report.imageEndOffset() != 0) {
            out.printf("Image end offset: %d%n", report.imageEndOffset());
        }
    }
}

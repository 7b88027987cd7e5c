package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.InvalidRequest;
import org.disklens.convert.Measure;
import org.disklens.image.QemuSize;
import org.disklens.image.SizeEstimate;
import org.disklens.convert.SourceSpec;
import org.disklens.convert.TargetSpec;

/** {@code measure}: the size a conversion would need, as qemu-img measure answers (vmdk: DiskLens's own layout). */
final class MeasureCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    String outputFormat = "raw";

    List<String> creationOptions = new ArrayList<>();

    String snapshot;

    String size;

    String file;

    boolean sparsify;

    @Override
    public Syntax syntax() {
        Syntax syntax = new Syntax(DiskLensCommand.commandName("measure"),
                "Show the file size converting FILE (or a new disk of --size) would need.");
        return output.declare(options.declare(syntax))
                .option("-O", "FMT", "Target format: raw (default), " + String.join(", ", TargetSpec.writableFormats().stream()
                        .filter(name -> !name.equals("raw")).toList()) + ".", value -> outputFormat = value)
                .option("-o", "KEY=VAL,...", "Options of the target format, as for convert.", creationOptions::add)
                .option("-l", "SNAPSHOT", "Measure internal snapshot SNAPSHOT of FILE.", value -> snapshot = value)
                .option("--size", "SIZE", "Measure a new, empty disk of SIZE bytes instead of FILE.", value -> size = value)
                .option("--target-passphrase-file", "FILE", "Accepted as for convert (so is -o key-secret=ID): an "
                        + "encrypted output's size does not depend on its passphrase.", value -> { })
                .flag("--sparsify", "Measure the output of convert --sparsify: the space the guest's file systems mark "
                        + "free left out.", () -> sparsify = true)
                .optionalParameter("FILE", options.image(value -> file = value));
    }

    @Override
    public String subject(Throwable failure) {
        return file != null ? file : "measure";
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try {
            return measure(out, err);
        } finally {
            options.closePassphrases();
        }
    }

    private int measure(PrintWriter out, PrintWriter err) throws IOException {
        if (creationOptions.stream().anyMatch(ConvertCommand::asksForHelp)) {
            OptionsHelp.print(out, outputFormat);
            return 0;
        }
        if ((file == null) == (size == null)) {
            throw new IOException("give either FILE or --size SIZE");
        }
        SizeEstimate estimate;
        try {
            TargetSpec target = TargetSpec.of(outputFormat);
            for (String text : creationOptions) {
                String kept = ConvertCommand.withoutKeySecret(text);
                if (!kept.isEmpty()) {
                    target = target.withOptions(kept);
                }
            }
            if (file != null) {
                SourceSpec source = new SourceSpec(options.path(file), options.format(file), Optional.ofNullable(snapshot),
                        options.allowOutside, sparsify, options.openOptions, options.passphrases());
                estimate = Measure.estimate(source, target);
            } else {
                estimate = Measure.estimate(parseSize(size), target);
            }
        } catch (InvalidRequest invalid) {
            throw new IOException(invalid.getMessage(), invalid);
        }
        if (output.json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            estimate.bitmaps().ifPresent(bitmaps -> fields.put("bitmaps", bitmaps));
            fields.put("required", estimate.required());
            fields.put("fully-allocated", estimate.fullyAllocated());
            Json.print(out, fields);
        } else {
            out.printf("required size: %d%n", estimate.required());
            out.printf("fully allocated size: %d%n", estimate.fullyAllocated());
            estimate.bitmaps().ifPresent(bitmaps -> out.printf("bitmaps size: %d%n", bitmaps));
        }
        out.flush();
        return 0;
    }

    private static long parseSize(String text) throws InvalidRequest {
        try {
            return QemuSize.parse(text);
        } catch (NumberFormatException invalid) {
            throw new InvalidRequest("Invalid image size specified. You may use k, M, G, T, P or E suffixes for "
                    + "kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        }
    }
}

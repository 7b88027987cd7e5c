package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.disklens.convert.InvalidRequest;
import org.disklens.convert.Measure;
import org.disklens.convert.QemuSize;
import org.disklens.convert.SizeEstimate;
import org.disklens.convert.SourceSpec;
import org.disklens.convert.TargetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code measure}: the size a conversion would need, as qemu-img measure answers (vmdk: DiskLens's own layout). */
@Command(name = "measure", description = "Show the file size converting FILE (or a new disk of --size) would need.")
final class MeasureCommand implements Callable<Integer> {
    @Mixin
    ImageOptions options;

    @Mixin
    JsonOption output;

    @Option(names = "-O", paramLabel = "FMT", description = "Target format: raw (default), qcow2, vmdk.")
    String outputFormat = "raw";

    @Option(names = "-o", paramLabel = "KEY=VAL,...", description = "Options of the target format, as for convert.")
    List<String> creationOptions = new ArrayList<>();

    @Option(names = "-l", paramLabel = "SNAPSHOT", description = "Measure internal snapshot SNAPSHOT of FILE.")
    String snapshot;

    @Option(names = "--size", paramLabel = "SIZE", description = "Measure a new, empty disk of SIZE bytes instead of FILE.")
    String size;

    @Parameters(paramLabel = "FILE", arity = "0..1")
    String file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
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
                target = target.withOptions(text);
            }
            if (file != null) {
                SourceSpec source = new SourceSpec(Path.of(file), options.format(), Optional.ofNullable(snapshot),
                        options.allowOutside);
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

package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.disklens.convert.ConversionException;
import org.disklens.convert.ConversionRequest;
import org.disklens.convert.Converter;
import org.disklens.convert.InvalidRequest;
import org.disklens.convert.SourceSpec;
import org.disklens.convert.TargetSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code convert}: qemu-img's verb and flags. Writes under a temporary name and renames at the end; refuses to
 * replace an existing file unless {@code --force}; Ctrl+C cancels cleanly (nothing left behind).
 */
@Command(name = "convert", description = "Convert an image to raw, qcow2 or vmdk (qemu-img's options; -o help lists them).")
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    ImageOptions options;

    @Option(names = "-O", paramLabel = "FMT", description = "Output format: raw (default), qcow2, vmdk.")
    String outputFormat = "raw";

    @Option(names = "-o", paramLabel = "KEY=VAL,...", description = "Options of the output format; 'help' lists them.")
    List<String> creationOptions = new ArrayList<>();

    @Option(names = "-c", description = "Compress (qcow2: compressed clusters; vmdk: streamOptimized only).")
    boolean compress;

    @Option(names = "-p", description = "Show progress (a bar on a terminal, percentage lines otherwise).")
    boolean progress;

    @Option(names = "-q", description = "Quiet (nothing is printed on success anyway).")
    boolean quiet;

    @Option(names = "-S", paramLabel = "SIZE", description = "Zero runs of at least SIZE bytes become holes (default 4k; 0 writes every byte).")
    String sparseSize;

    @Option(names = "-B", paramLabel = "BACKING", description = "qcow2: the new image's backing file; only what differs from it is written.")
    String backingFile;

    @Option(names = "-F", paramLabel = "FMT", description = "Format of the backing file given with -B.")
    String backingFormat;

    @Option(names = "-l", paramLabel = "SNAPSHOT", description = "Convert internal snapshot SNAPSHOT (id or name, or snapshot.id=ID,snapshot.name=NAME).")
    String snapshot;

    @Option(names = "-m", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer workers;

    @Option(names = "--update-domain", paramLabel = "NAME", description = "After converting, write NAME.xml.disklens-new: "
            + "libvirt domain NAME re-pointed at DST with the new driver type (the live definition is not touched).")
    String updateDomain;

    @Option(names = "--libvirt-dir", paramLabel = "DIR", description = "Where --update-domain looks for NAME.xml (default /etc/libvirt/qemu).")
    Path libvirtFolder = org.disklens.vm.VirtualMachines.DEFAULT_FOLDER;

    @Option(names = "--force", description = "Overwrite the target (and its extents) if it exists.")
    boolean force;

    @Parameters(index = "0", paramLabel = "SRC", arity = "0..1")
    String source;

    @Parameters(index = "1", paramLabel = "DST", arity = "0..1")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (creationOptions.stream().anyMatch(ConvertCommand::asksForHelp)) {
            OptionsHelp.print(spec.commandLine().getOut(), outputFormat);
            return 0;
        }
        if (source == null || target == null) {
            return fail(err, source == null ? "convert" : source, "missing the " + (source == null ? "source (SRC)"
                    : "output file (DST)") + " (see 'disklens convert --help')");
        }
        ConversionRequest request;
        try {
            request = request();
        } catch (InvalidRequest invalid) {
            return fail(err, target, invalid.getMessage());
        }
        if (workers != null && (workers < 1 || workers > 16)) {
            return fail(err, target, "Invalid number of parallel workers: -m must be between 1 and 16");
        }
        ProgressDisplay display = new ProgressDisplay(err, progress && !quiet);
        org.disklens.convert.Cancellation quietly = new org.disklens.convert.Cancellation();
        org.disklens.image.ProgressListener listener = progress && !quiet ? display : quietly;
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            display.cancel();
            quietly.cancel();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "disklens-convert-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            Converter converter = workers == null ? new Converter() : new Converter(workers);
            converter.convert(request, listener);
            display.close();
            return updateDomain == null ? 0 : repointDomain(err);
        } catch (ConversionException failed) {
            display.close();
            return fail(err, failed.file().toString(), failed.getMessage());
        } catch (CancellationException cancelled) {
            display.close();
            return fail(err, target, cancelled.getMessage());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it will see that the conversion finished.
            }
        }
    }

    /** {@code --update-domain}: the VM's definition, re-pointed at the new file, written beside the old one. */
    private int repointDomain(PrintWriter err) {
        Path definition = libvirtFolder.resolve(updateDomain + ".xml");
        try {
            var result = org.disklens.vm.DomainUpdater.writeUpdatedCopy(definition, Path.of(source).toAbsolutePath(),
                    Path.of(target).toAbsolutePath(), outputFormat);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Wrote %s: domain %s now uses %s (%s).%nTo apply it: %s%n", result.written(), result.domainName(),
                    Path.of(target).toAbsolutePath(), outputFormat, result.virshStep());
            out.flush();
            return 0;
        } catch (IOException failed) {
            return fail(err, definition.toString(), "converted, but the domain was not updated: " + failed.getMessage());
        }
    }

    private ConversionRequest request() throws IOException {
        SourceSpec sourceSpec = new SourceSpec(Path.of(source), options.format(), java.util.Optional.ofNullable(snapshot),
                options.allowOutside);
        TargetSpec targetSpec = TargetSpec.of(outputFormat).withCompress(compress).withBacking(backingFile, backingFormat);
        for (String text : creationOptions) {
            targetSpec = targetSpec.withOptions(text);
        }
        if (sparseSize != null) {
            targetSpec = targetSpec.withSparseSize(parseSparseSize(sparseSize));
        }
        return new ConversionRequest(sourceSpec, targetSpec, Path.of(target), force);
    }

    private static long parseSparseSize(String text) throws InvalidRequest {
        try {
            return org.disklens.convert.QemuSize.parse(text);
        } catch (NumberFormatException invalid) {
            throw new InvalidRequest("Invalid buffer size for sparse output specified. You may use k, M, G, T, P or E "
                    + "suffixes for kilobytes, megabytes, gigabytes, terabytes, petabytes and exabytes.");
        }
    }

    static boolean asksForHelp(String option) {
        return option.equals("help") || option.equals("?");
    }

    private static int fail(PrintWriter err, String what, String why) {
        err.println(Failure.describe(what, new IOException(why)));
        err.flush();
        return DiskLensCommand.ERROR;
    }
}

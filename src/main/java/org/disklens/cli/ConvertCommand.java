package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.disklens.convert.ConversionException;
import org.disklens.convert.ConversionRequest;
import org.disklens.convert.Converter;
import org.disklens.image.InvalidRequest;
import org.disklens.convert.ConversionResult;
import org.disklens.convert.SourceSpec;
import org.disklens.convert.TargetSpec;

/**
 * {@code convert}: qemu-img's verb and flags. Writes under a temporary name and renames at the end; refuses to
 * replace an existing file unless {@code --force}; Ctrl+C cancels cleanly (nothing left behind).
 */
final class ConvertCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    String outputFormat = "raw";

    List<String> creationOptions = new ArrayList<>();

    boolean compress;

    boolean progress;

    boolean quiet;

    String sparseSize;

    String backingFile;

    String backingFormat;

    String snapshot;

    Integer workers;

    String updateDomain;

    Path libvirtFolder = org.disklens.vm.VirtualMachines.DEFAULT_FOLDER;

    boolean force;

    boolean sparsify;

    String targetPassphraseFile;

    private org.disklens.crypto.Passphrase targetPassphrase;

    String source;

    String target;

    @Override
    public Syntax syntax() {
        return ImageOptions.declareSourceCache(options.declare(new Syntax(DiskLensCommand.commandName("convert"),
                        "Convert an image to raw, qcow2 or vmdk (qemu-img's options; -o help lists them).")))
                .option("-O", "FMT", "Output format: raw (default), " + String.join(", ", TargetSpec.writableFormats().stream()
                        .filter(name -> !name.equals("raw")).toList()) + ".", value -> outputFormat = value)
                .option("-o", "KEY=VAL,...", "Options of the output format; 'help' lists them.", creationOptions::add)
                .flag("-c", "Compress (qcow2: compressed clusters; vmdk: streamOptimized only).", () -> compress = true)
                .flag("-p", "Show progress (a bar on a terminal, percentage lines otherwise).", () -> progress = true)
                .flag("-q", "Quiet (nothing is printed on success anyway).", () -> quiet = true)
                .option("-S", "SIZE", "Zero runs of at least SIZE bytes become holes (default 4k; 0 writes every byte).",
                        value -> sparseSize = value)
                .option("-B", "BACKING", "qcow2: the new image's backing file; only what differs from it is written.",
                        value -> backingFile = value)
                .option("-F", "FMT", "Format of the backing file given with -B.", value -> backingFormat = value)
                .option("-l", "SNAPSHOT", "Convert internal snapshot SNAPSHOT (id or name, or "
                        + "snapshot.id=ID,snapshot.name=NAME).", value -> snapshot = value)
                .option("-m", "N", "Worker threads (default: one per core).", value -> workers = Syntax.integer("-m", value))
                .flag("-W", "Accepted as qemu-img's: DiskLens already writes in parallel, in any order.", () -> { })
                .option("-t", "CACHE", "Accepted as qemu-img's (none, writeback, writethrough, directsync, unsafe); "
                        + "DiskLens writes through the page cache and renames the file when complete.", ImageOptions::cacheMode)
                .option("--update-domain", "NAME", "After converting, write NAME.xml.disklens-new: libvirt domain NAME "
                        + "re-pointed at DST with the new driver type (the live definition is not touched).",
                        value -> updateDomain = value)
                .option("--libvirt-dir", "DIR", "Where --update-domain looks for NAME.xml (default /etc/libvirt/qemu).",
                        value -> libvirtFolder = Path.of(value))
                .option("--target-passphrase-file", "FILE", "Encrypt the output (-O luks, -O qcow2 -o encrypt.format=luks) "
                        + "with the passphrase in FILE (its bytes, less one trailing newline); qemu-img's spelling, "
                        + "-o key-secret=ID (luks) or -o encrypt.key-secret=ID (qcow2) with --object secret,id=ID,..., "
                        + "works too.",
                        value -> targetPassphraseFile = value)
                .flag("--force", "Overwrite the target (and its extents) if it exists.", () -> force = true)
                .flag("--sparsify", "Leave out the space the guest's file systems mark free (it reads as zeroes), as "
                        + "virt-sparsify --convert does; file systems whose free space cannot be trusted are copied whole.",
                        () -> sparsify = true)
                .refused("-n", null, "DiskLens always writes a new target, renamed into place when complete "
                        + "(use --force to replace an existing file)")
                .optionalParameter("SRC", options.image(value -> source = value))
                .optionalParameter("DST", value -> target = value);
    }

    @Override
    public String subject(Throwable failure) {
        return target != null ? target : source != null ? source : "convert";
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try {
            return convert(out, err);
        } finally {
            options.closePassphrases();
            if (targetPassphrase != null) {
                targetPassphrase.close();
            }
        }
    }

    private int convert(PrintWriter out, PrintWriter err) throws IOException {
        if (creationOptions.stream().anyMatch(ConvertCommand::asksForHelp)) {
            OptionsHelp.print(out, outputFormat);
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
            ConversionResult result = converter.convert(request, listener);
            display.close();
            for (String note : result.notes()) {
                err.println("disklens: sparsify: " + note);
            }
            err.flush();
            return updateDomain == null ? 0 : repointDomain(out, err);
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
    private int repointDomain(PrintWriter out, PrintWriter err) {
        Path definition = libvirtFolder.resolve(updateDomain + ".xml");
        try {
            var result = org.disklens.vm.DomainUpdater.writeUpdatedCopy(definition, Path.of(source).toAbsolutePath(),
                    Path.of(target).toAbsolutePath(), outputFormat);
                out.printf("Wrote %s: domain %s now uses %s (%s).%nTo apply it: %s%n", result.written(), result.domainName(),
                    Path.of(target).toAbsolutePath(), outputFormat, result.virshStep());
            out.flush();
            return 0;
        } catch (IOException failed) {
            return fail(err, definition.toString(), "converted, but the domain was not updated: " + failed.getMessage());
        }
    }

    private ConversionRequest request() throws IOException {
        SourceSpec sourceSpec = new SourceSpec(options.path(source), options.format(source), java.util.Optional.ofNullable(snapshot),
                options.allowOutside, sparsify, options.openOptions, options.passphrases());
        TargetSpec targetSpec = TargetSpec.of(outputFormat).withCompress(compress).withBacking(backingFile, backingFormat);
        String targetSecret = null;
        for (String text : creationOptions) {
            List<String[]> pairs = QemuObjects.split(text);
            if (pairs.stream().anyMatch(ConvertCommand::isKeySecret)) {
                targetSecret = pairs.stream().filter(ConvertCommand::isKeySecret).reduce((a, b) -> b).orElseThrow()[1];
                text = joined(pairs.stream().filter(pair -> !isKeySecret(pair)).toList());
            }
            if (!text.isEmpty()) {
                targetSpec = targetSpec.withOptions(text);
            }
        }
        if (sparseSize != null) {
            targetSpec = targetSpec.withSparseSize(parseSparseSize(sparseSize));
        }
        if (targetPassphraseFile != null && targetSecret != null) {
            throw new InvalidRequest("give the target passphrase either with --target-passphrase-file or with -o "
                    + "key-secret and --object secret, not both");
        }
        if (targetPassphraseFile != null) {
            targetPassphrase = org.disklens.crypto.Passphrase.fromFile(Path.of(targetPassphraseFile));
            targetSpec = targetSpec.withPassphrase(targetPassphrase);
        } else if (targetSecret != null) {
            targetPassphrase = new org.disklens.crypto.Passphrase(options.objects.secret(targetSecret));
            targetSpec = targetSpec.withPassphrase(targetPassphrase);
        }
        return new ConversionRequest(sourceSpec, targetSpec, Path.of(target), force);
    }

    /** qemu's {@code -o encrypt.key-secret=ID} (qcow2) or {@code -o key-secret=ID} (luks): the --object secret ID. */
    private static boolean isKeySecret(String[] pair) {
        return pair[1] != null && (pair[0].equals("encrypt.key-secret") || pair[0].equals("key-secret"));
    }

    /** {@code text} less its key-secret options (measure: the size does not depend on the passphrase). */
    static String withoutKeySecret(String text) {
        List<String[]> pairs = QemuObjects.split(text);
        return pairs.stream().anyMatch(ConvertCommand::isKeySecret)
                ? joined(pairs.stream().filter(pair -> !isKeySecret(pair)).toList()) : text;
    }

    /** Option pairs back into qemu's syntax, a comma in a value doubled. */
    private static String joined(List<String[]> pairs) {
        return String.join(",", pairs.stream().map(pair -> (pair[0] + (pair[1] == null ? "" : "=" + pair[1]))
                .replace(",", ",,")).toList());
    }

    private static long parseSparseSize(String text) throws InvalidRequest {
        try {
            return org.disklens.image.QemuSize.parse(text);
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

package org.disklens.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.disklens.image.BackingReference;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageOpener;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.image.TargetConfig;

/**
 * Converts an image, as {@code qemu-img convert} does: the CLI's {@code convert} and the GUI's conversions call
 * {@link #run}. The source is opened read-only and never written; the target is written under temporary names and
 * renamed only when complete; a cancellation, a failure or a full disk leave nothing behind. See
 * {@code package-info.java} for the decisions.
 */
public final class Converter {
    private final int workers;

    /** A converter using every core. */
    public Converter() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A converter using {@code workers} threads for reading, decompressing and compressing. */
    public Converter(int workers) {
        this.workers = Math.max(1, workers);
    }

    /** Runs {@code request} with a converter using every core. */
    public static ConversionResult run(ConversionRequest request, ProgressListener progress) throws IOException {
        return new Converter().convert(request, progress);
    }

    /**
     * Converts; throws {@link ConversionException} naming the file at fault, or {@link CancellationException} if
     * {@code progress} asked to stop. Either way nothing of the target is left behind.
     */
    public ConversionResult convert(ConversionRequest request, ProgressListener progress) throws IOException {
        Path target = request.targetPath();
        TargetConfig config;
        try {
            config = request.validate();
        } catch (InvalidRequest invalid) {
            throw new ConversionException(target, invalid.getMessage(), invalid);
        }
        SourceImage source;
        try {
            source = SourceImage.open(request.source(), progress);
        } catch (IOException | RuntimeException unreadable) {
            throw new ConversionException(request.source().path(), ConversionException.reasonOf(unreadable), unreadable);
        }
        try (source) {
            long targetSize = config.targetSize(request.target().sizeFor(source.size()));
            List<Path> files = config.files(target, targetSize);
            try {
                OutputFiles.checkWritable(files, request.force());
                refuseOverwritingInputs(files, source.files());
                checkBackingFile(config, target, files);
            } catch (InvalidRequest invalid) {
                throw new ConversionException(target, invalid.getMessage(), invalid);
            }
            return write(source, config, request, files, targetSize, progress);
        }
    }

    private ConversionResult write(SourceImage source, TargetConfig config, ConversionRequest request, List<Path> files,
                                   long targetSize, ProgressListener progress) throws IOException {
        try (OutputFiles outputs = new OutputFiles(request.force())) {
            try {
                ImageWriter writer = config.create(outputs, request.targetPath(), targetSize);
                Pipeline pipeline = new Pipeline(source, writer, targetSize, config.sparseSize() > 0, progress, workers);
                long allocated = pipeline.run();
                progress.checkCancelled();
                writer.finish();
                outputs.commit();
                return new ConversionResult(files, targetSize, allocated, source.sparsifyNotes());
            } catch (CancellationException cancelled) {
                outputs.discard();
                throw new CancellationException("cancelled; the unfinished target was removed");
            } catch (IOException | RuntimeException | OutOfMemoryError failed) {
                outputs.discard();
                String reason = ConversionException.reasonOf(failed);
                if (failed instanceof InvalidRequest) {
                    throw new ConversionException(request.targetPath(), reason, failed);
                }
                throw new ConversionException(request.targetPath(), reason + "; the unfinished target was removed", failed);
            }
        }
    }

    private static void refuseOverwritingInputs(List<Path> targets, List<Path> inputs) throws IOException {
        for (Path target : targets) {
            Path absolute = target.toAbsolutePath().normalize();
            for (Path input : inputs) {
                boolean same = absolute.equals(input.toAbsolutePath().normalize())
                        || Files.exists(absolute) && Files.isSameFile(absolute, input);
                if (same) {
                    throw new InvalidRequest("is %s, which this conversion reads".formatted(input));
                }
            }
        }
    }

    /** {@code -B}: the backing file must exist (relative to the new image's folder, as qemu resolves it) and open. */
    private static void checkBackingFile(TargetConfig config, Path target, List<Path> files) throws IOException {
        Optional<BackingReference> named = config.backing();
        if (named.isEmpty()) {
            return;
        }
        Path folder = target.toAbsolutePath().getParent();
        Path backing = folder.resolve(named.get().name()).normalize();
        if (files.stream().anyMatch(file -> file.toAbsolutePath().normalize().equals(backing))) {
            throw new InvalidRequest("cannot be its own backing file");
        }
        ImageOpener opener = new ImageOpener(new OpenPolicy(true));
        try (DiskImage opened = opener.open(backing, named.get().format())) {
            // It opens: that is all qemu-img checks too.
        } catch (IOException unreadable) {
            throw new InvalidRequest("Could not open backing file '%s': %s".formatted(named.get().name(),
                    Optional.ofNullable(unreadable.getMessage()).orElse(unreadable.getClass().getSimpleName())));
        }
    }
}

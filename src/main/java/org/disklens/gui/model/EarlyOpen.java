package org.disklens.gui.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;

/**
 * The window's first images, opened while the JavaFX toolkit starts rather than after the window is up: the
 * launch's files are opened at once on threads of their own, and the first {@link ImageViewModel} to load each
 * path takes the result instead of opening the file again.
 */
public final class EarlyOpen {
    private static final Map<Path, FutureTask<OpenedImage>> OPENING = new ConcurrentHashMap<>();

    private EarlyOpen() {
    }

    /** Starts opening {@code files} in the background. */
    public static void start(List<Path> files) {
        ImageOpener opener = new ImageOpener(OpenPolicy.DEFAULT);
        for (Path file : files) {
            Path path = file.toAbsolutePath().normalize();
            FutureTask<OpenedImage> opening = new FutureTask<>(() -> OpenedImage.open(opener, path));
            if (OPENING.putIfAbsent(path, opening) == null) {
                Thread.ofPlatform().daemon().name("disklens-early-open").start(opening);
            }
        }
    }

    /** The image opened early for {@code path}, waiting for it if need be; empty when none was started. */
    static Optional<OpenedImage> take(Path path) throws IOException {
        FutureTask<OpenedImage> opening = OPENING.remove(path);
        if (opening == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(opening.get());
        } catch (ExecutionException failed) {
            switch (failed.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IOException(failed.getCause());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + path, interrupted);
        }
    }
}

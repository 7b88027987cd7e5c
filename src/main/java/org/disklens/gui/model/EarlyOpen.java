package org.disklens.gui.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.disklens.gui.StartupTrace;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;

/**
 * The window's first images, opened while the JavaFX toolkit starts rather than after the window is up: the
 * launch's files are opened at once on threads of their own, and the first {@link ImageViewModel} to load each
 * path takes the result instead of opening the file again.
 */
public final class EarlyOpen {
    private static final Map<Path, Early> OPENING = new ConcurrentHashMap<>();

    /** An image being opened early, and whether opening it wanted a passphrase (it then opens again, asking). */
    private record Early(FutureTask<OpenedImage> opening, Asked asked) {
    }

    /** No passphrases, but it notes that one was wanted: there is no window yet to ask in. */
    private static final class Asked extends org.disklens.crypto.Passphrases {
        private volatile boolean wanted;

        @Override
        public Optional<org.disklens.crypto.Passphrase> passphraseFor(String what) {
            wanted = true;
            return Optional.empty();
        }
    }

    private EarlyOpen() {
    }

    /** Starts opening {@code files} in the background. */
    public static void start(List<Path> files) {
        for (Path file : files) {
            Path path = file.toAbsolutePath().normalize();
            Asked asked = new Asked();
            ImageOpener opener = new ImageOpener(OpenPolicy.DEFAULT, Map.of(), asked);
            FutureTask<OpenedImage> opening = new FutureTask<>(() -> {
                OpenedImage image = OpenedImage.open(opener, path, asked);
                StartupTrace.mark("early-opened");
                return image;
            });
            if (OPENING.putIfAbsent(path, new Early(opening, asked)) == null) {
                Thread.ofPlatform().daemon().name("disklens-early-open").start(opening);
            }
        }
    }

    /** Whether an early opening of {@code path} was started and has ended (opened or failed): taking it won't wait. */
    public static boolean isDone(Path path) {
        Early early = OPENING.get(path);
        return early != null && early.opening().isDone();
    }

    /**
     * The image opened early for {@code path}, waiting for it if need be; empty when none was started, or when it holds
     * something encrypted (opened without passphrases, it is closed: the tab opens it again and asks).
     */
    static Optional<OpenedImage> take(Path path) throws IOException {
        Early early = OPENING.remove(path);
        if (early == null) {
            return Optional.empty();
        }
        try {
            OpenedImage image = early.opening().get();
            if (early.asked().wanted) {
                image.close();
                return Optional.empty();
            }
            return Optional.of(image);
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

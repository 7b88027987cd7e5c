package org.disklens.image;

import java.util.concurrent.CancellationException;

/**
 * Progress of long work (check, convert) and the way to cancel it. The core reports here; the CLI draws a
 * bar, the GUI adapts it to a {@code javafx.concurrent.Task}.
 */
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {
    };

    /** {@code done} of {@code total} units (bytes unless said otherwise). */
    void progress(long done, long total);

    /** True once the user asked to stop; long work checks it between units. */
    default boolean isCancelled() {
        return false;
    }

    /** Throws {@link CancellationException} if cancelled. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("cancelled");
        }
    }
}

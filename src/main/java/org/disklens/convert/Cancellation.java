package org.disklens.convert;

import java.util.concurrent.atomic.AtomicBoolean;
import org.disklens.image.ProgressListener;

/**
 * A listener that only carries a cancel button: nothing is shown, so the converter does not spend a pass over the
 * metadata to learn the total (the CLI without {@code -p} uses it, to let Ctrl+C cancel cleanly).
 */
public final class Cancellation implements ProgressListener {
    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    @Override
    public void progress(long done, long total) {
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }
}

package org.disklens.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.disklens.image.ProgressListener;

/**
 * {@code -p}: a progress bar redrawn in place when stderr is a terminal, else a plain {@code NN%} line each time
 * the whole percentage grows (for logs and pipes). A new total that starts lower is a new phase, counted again: a
 * conversion of a gzip-compressed OVA disk first checks the compressed stream (its bytes), then converts (the
 * guest's). Cancellation comes from {@link #cancel()} (Ctrl+C).
 */
final class ProgressDisplay implements ProgressListener {
    private static final int WIDTH = 40;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final boolean terminal;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private int lastPercent = -1;
    private long lastTotal = Long.MIN_VALUE;
    private long lastDraw;
    private boolean drawn;

    ProgressDisplay(PrintWriter err, boolean enabled) {
        this(err, enabled, enabled && isTerminal());
    }

    ProgressDisplay(PrintWriter err, boolean enabled, boolean terminal) {
        this.err = err;
        this.enabled = enabled;
        this.terminal = terminal;
    }

    /** Whether stderr is an interactive terminal (Java 22+ gives a console even when redirected; ask it). */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public synchronized void progress(long done, long total) {
        if (!enabled) {
            return;
        }
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        int percent = (int) Math.floor(fraction * 100);
        if (total != lastTotal && percent < lastPercent) {
            lastPercent = -1;
        }
        lastTotal = total;
        if (terminal) {
            long now = System.nanoTime();
            if (percent == lastPercent && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            int filled = (int) Math.round(fraction * WIDTH);
            err.printf("\r[%s%s] %6.2f%%", "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100);
            drawn = true;
        } else if (percent > lastPercent) {
            err.printf("%d%%%n", percent);
        }
        lastPercent = percent;
        err.flush();
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    void close() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}

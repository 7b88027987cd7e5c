package org.disklens.gui.task;

import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.disklens.image.ProgressListener;

/**
 * Runs work at once on the calling thread, callbacks included: view-model tests need no toolkit threads
 * and no waiting. {@link #holdingBack()} instead keeps submitted work until {@link #runPending()}, so a
 * test can look at a view model while its work is "running" (or cancel it first).
 */
public final class SameThreadTaskRunner implements TaskRunner {
    private final boolean holding;
    private final java.util.List<Runnable> pending = new java.util.ArrayList<>();

    public SameThreadTaskRunner() {
        this(false);
    }

    private SameThreadTaskRunner(boolean holding) {
        this.holding = holding;
    }

    /** A runner that keeps work until {@link #runPending()}. */
    public static SameThreadTaskRunner holdingBack() {
        return new SameThreadTaskRunner(true);
    }

    @Override
    public <T> Job submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                          Consumer<? super Throwable> onFailure) {
        Job job = new Job(title);
        boolean[] cancelled = {false};
        job.onCancel(() -> cancelled[0] = true);
        Runnable run = () -> execute(job, work, cancelled, onSuccess, onFailure);
        if (holding) {
            pending.add(run);
        } else {
            run.run();
        }
        return job;
    }

    /** Runs the work kept so far, in order (and work it submits in turn). */
    public void runPending() {
        while (!pending.isEmpty()) {
            pending.removeFirst().run();
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    private static <T> void execute(Job job, Work<T> work, boolean[] cancelled, Consumer<? super T> onSuccess,
                                    Consumer<? super Throwable> onFailure) {
        if (cancelled[0]) {
            job.finish(Job.State.CANCELLED);
            onFailure.accept(new CancellationException("cancelled"));
            return;
        }
        job.start();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void progress(long done, long total) {
                job.update(done, total);
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }
        };
        T result;
        try {
            result = work.run(listener);
        } catch (CancellationException stopped) {
            job.finish(Job.State.CANCELLED);
            onFailure.accept(stopped);
            return;
        } catch (Exception | Error failure) {
            job.finish(Job.State.FAILED);
            onFailure.accept(failure);
            return;
        }
        if (cancelled[0]) {
            job.finish(Job.State.CANCELLED);
            onFailure.accept(new CancellationException("cancelled"));
            return;
        }
        job.finish(Job.State.SUCCEEDED);
        onSuccess.accept(result);
    }
}

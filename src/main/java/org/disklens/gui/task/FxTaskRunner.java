package org.disklens.gui.task;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.concurrent.Task;
import org.disklens.image.ProgressListener;

/**
 * Runs each piece of work as a {@link Task} on its own pool of daemon threads; results, failures and
 * progress come back on the FX thread. Cancelling never interrupts the thread: an interrupt would close the
 * {@code FileChannel} of an image other work is still reading, so the work stops at its next progress check.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {
    private final ExecutorService executor;

    /** {@code threads} workers named after {@code name}; one thread makes a queue that runs in order. */
    public FxTaskRunner(String name, int threads) {
        this.executor = Executors.newFixedThreadPool(threads, daemonThreads(name));
    }

    @Override
    public <T> Job submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                          Consumer<? super Throwable> onFailure) {
        Job job = new Job(title);
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.run(listenerFor(this));
            }

            private ProgressListener listenerFor(Task<T> self) {
                return new ProgressListener() {
                    @Override
                    public void progress(long done, long total) {
                        updateProgress(done, total);
                    }

                    @Override
                    public boolean isCancelled() {
                        return self.isCancelled();
                    }
                };
            }
        };
        // Task sets work done, then total work: follow both, so the job never pairs a new count with an old total.
        task.workDoneProperty().addListener((observable, old, done) -> job.update((long) task.getWorkDone(),
                (long) task.getTotalWork()));
        task.totalWorkProperty().addListener((observable, old, total) -> job.update((long) task.getWorkDone(),
                (long) task.getTotalWork()));
        task.setOnRunning(event -> job.start());
        task.setOnSucceeded(event -> {
            job.finish(Job.State.SUCCEEDED);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(event -> {
            job.finish(Job.State.FAILED);
            onFailure.accept(task.getException());
        });
        task.setOnCancelled(event -> {
            job.finish(Job.State.CANCELLED);
            onFailure.accept(new CancellationException("cancelled"));
        });
        job.onCancel(() -> task.cancel(false));
        executor.execute(task);
        return job;
    }

    @Override
    public void onOwnerThread(Runnable action) {
        if (javafx.application.Platform.isFxApplicationThread()) {
            action.run();
        } else {
            javafx.application.Platform.runLater(action);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

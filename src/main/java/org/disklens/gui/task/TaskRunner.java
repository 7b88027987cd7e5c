package org.disklens.gui.task;

import java.util.function.Consumer;

/**
 * Runs work off the FX thread (ARCHITECTURE rule 11). View models submit through this and never touch
 * threads themselves; the app uses {@link FxTaskRunner} ({@code javafx.concurrent.Task} on a thread pool),
 * tests use {@link SameThreadTaskRunner} so a view model can be checked step by step.
 *
 * <p>Callbacks run on the thread that owns the view model (the FX thread in the app). Cancellation
 * reaches {@code onFailure} as a {@link java.util.concurrent.CancellationException}.
 */
public interface TaskRunner {
    <T> Job submit(String title, Work<T> work, Consumer<? super T> onSuccess, Consumer<? super Throwable> onFailure);

    /**
     * Runs {@code action} on the thread that owns the view models (where callbacks run): at once when called there,
     * else as soon as that thread is free. Background work uses it to ask the user something (a passphrase).
     */
    default void onOwnerThread(Runnable action) {
        action.run();
    }
}

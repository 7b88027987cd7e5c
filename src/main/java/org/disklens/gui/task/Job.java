package org.disklens.gui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * A submitted piece of work as the view sees it: progress, state, and a way to cancel. Properties change on
 * the owning (FX) thread only.
 */
public final class Job {
    /** Where the work is. */
    public enum State { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    private final String title;
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyLongWrapper workDone = new ReadOnlyLongWrapper(0);
    private final ReadOnlyLongWrapper totalWork = new ReadOnlyLongWrapper(-1);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.RUNNING);
    private final ReadOnlyBooleanWrapper started = new ReadOnlyBooleanWrapper(false);
    private Runnable canceller = () -> {
    };

    Job(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** 0..1, or -1 while the amount of work is unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty workDoneProperty() {
        return workDone.getReadOnlyProperty();
    }

    /** -1 while unknown. */
    public ReadOnlyLongProperty totalWorkProperty() {
        return totalWork.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** False while the work waits in a queue for its thread. */
    public ReadOnlyBooleanProperty startedProperty() {
        return started.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /** Asks the work to stop; it stops at its next check. Does nothing once it has finished. */
    public void cancel() {
        if (isRunning()) {
            canceller.run();
        }
    }

    void onCancel(Runnable canceller) {
        this.canceller = canceller;
    }

    void start() {
        started.set(true);
    }

    void update(long done, long total) {
        if (!isRunning()) {
            // A cancelled task's work reports its last steps after the job has ended: they change nothing.
            return;
        }
        // Total first: listeners of workDone read it.
        totalWork.set(total);
        workDone.set(done);
        progress.set(total > 0 ? Math.min(1.0, (double) done / total) : -1);
    }

    void finish(State finalState) {
        if (finalState == State.SUCCEEDED) {
            progress.set(1);
        }
        state.set(finalState);
    }
}

package org.disklens.gui.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.disklens.gui.task.Job;
import org.disklens.image.Units;

/** One conversion in the queue: what, where to, and how far — progress, throughput, time left. */
public final class ConversionJobViewModel {
    /** Where the conversion is. */
    public enum Status { QUEUED, RUNNING, DONE, FAILED, CANCELLED }

    private final Path source;
    private final Path target;
    private final ConversionService.Choice choice;
    private final LongSupplier nanoClock;
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(Status.QUEUED);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("Queued");
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper("");
    private Job job;
    private long startedAt = -1;

    private final ReadOnlyStringWrapper notes = new ReadOnlyStringWrapper("");

    ConversionJobViewModel(Path source, Path target, ConversionService.Choice choice, LongSupplier nanoClock) {
        this.source = source;
        this.target = target;
        this.choice = choice;
        this.nanoClock = nanoClock;
    }

    void attach(Job running) {
        this.job = running;
        running.startedProperty().addListener((observable, was, started) -> {
            if (started) {
                started();
            }
        });
        if (running.startedProperty().get()) {
            started();
        }
        running.workDoneProperty().addListener((observable, old, done) -> update(done.longValue(),
                running.totalWorkProperty().get()));
    }

    private void started() {
        if (startedAt < 0 && !isOver()) {
            startedAt = nanoClock.getAsLong();
            status.set(Status.RUNNING);
            statusText.set("Converting…");
        }
    }

    void update(long done, long total) {
        if (isOver()) {
            // The engine reports its last steps after a cancel; the job is over and says so.
            return;
        }
        started();
        if (total <= 0) {
            return;
        }
        progress.set(Math.min(1, (double) done / total));
        statusText.set("%s of %s".formatted(Units.size(done), Units.size(total)));
        double seconds = (nanoClock.getAsLong() - startedAt) / 1e9;
        if (seconds <= 0 || done <= 0) {
            speedText.set("");
            return;
        }
        double perSecond = done / seconds;
        Duration left = Duration.ofSeconds((long) Math.ceil((total - done) / perSecond));
        speedText.set("%s/s · %s left".formatted(Units.size((long) perSecond), Formats.duration(left)));
    }

    void finished(List<String> told) {
        status.set(Status.DONE);
        progress.set(1);
        speedText.set("");
        statusText.set("Done: " + target.getFileName());
        notes.set(String.join("\n", told.stream().filter(note -> note.contains("left whole")).toList()));
    }

    void failed(String why, boolean cancelled) {
        status.set(cancelled ? Status.CANCELLED : Status.FAILED);
        progress.set(cancelled ? 0 : progress.get());
        speedText.set("");
        statusText.set(cancelled ? "Cancelled; nothing was written" : why);
    }

    private boolean isOver() {
        return status.get() == Status.DONE || status.get() == Status.FAILED || status.get() == Status.CANCELLED;
    }

    /** Stops the conversion; the engine removes the partial file. */
    public void cancel() {
        if (job != null) {
            job.cancel();
        }
    }

    public Path source() {
        return source;
    }

    public Path target() {
        return target;
    }

    public ConversionPreset preset() {
        return choice.preset();
    }

    /** "qcow2, compressed", with ", shrunk" when the guest's free space is dropped. */
    public String choiceText() {
        return choice.preset().name() + (choice.shrink() ? ", shrunk" : "");
    }

    /** With Shrink: the volumes the conversion left whole and why, one per line; empty otherwise. */
    public ReadOnlyStringProperty notesProperty() {
        return notes.getReadOnlyProperty();
    }

    public String title() {
        return "%s → %s".formatted(source.getFileName(), target.getFileName());
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public Status status() {
        return status.get();
    }

    /** 0..1, or -1 before the amount of work is known. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** "120 MiB/s · 0:42 left" while running. */
    public ReadOnlyStringProperty speedTextProperty() {
        return speedText.getReadOnlyProperty();
    }
}

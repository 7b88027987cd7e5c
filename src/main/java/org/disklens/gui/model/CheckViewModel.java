package org.disklens.gui.model;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.CheckReport;
import org.disklens.image.DiskImage;

/** The read-only consistency check, run in the background on request, and its findings in words. */
public final class CheckViewModel {
    /** What the view shows. */
    public enum Outcome { NOT_RUN, RUNNING, CLEAN, LEAKS, CORRUPT, NO_CHECK, FAILED, CANCELLED }

    private final TaskRunner runner;
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(Outcome.NOT_RUN);
    private final ReadOnlyObjectWrapper<Job> job = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper statistics = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper("");
    private final ObservableList<String> messages = FXCollections.observableArrayList();
    private DiskImage image;

    public CheckViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage opened) {
        clear();
        image = opened.top();
        String what = image.checkDescription();
        description.set(what.isEmpty() ? "The %s format keeps no metadata to check: the file is the disk itself."
                .formatted(image.format()) : "Read-only. " + what);
    }

    void clear() {
        cancel();
        image = null;
        outcome.set(Outcome.NOT_RUN);
        summary.set("");
        statistics.set("");
        description.set("");
        messages.clear();
    }

    public void run() {
        if (image == null || outcome.get() == Outcome.RUNNING) {
            return;
        }
        DiskImage target = image;
        outcome.set(Outcome.RUNNING);
        summary.set("Checking…");
        statistics.set("");
        messages.clear();
        job.set(runner.submit("Checking " + target.source().name(), target::check,
                report -> {
                    if (target == image) {
                        show(report, target.format());
                    }
                },
                failure -> {
                    if (target != image) {
                        return;
                    }
                    boolean cancelled = failure instanceof CancellationException;
                    outcome.set(cancelled ? Outcome.CANCELLED : Outcome.FAILED);
                    summary.set(cancelled ? "Check cancelled." : "The check could not finish: " + Problems.describe(failure));
                }));
    }

    public void cancel() {
        if (job.get() != null) {
            job.get().cancel();
        }
    }

    private void show(Optional<CheckReport> result, String format) {
        if (result.isEmpty()) {
            outcome.set(Outcome.NO_CHECK);
            summary.set("The %s format has no metadata to check.".formatted(format));
            return;
        }
        CheckReport report = result.get();
        outcome.set(report.corruptions() > 0 || report.checkErrors() > 0 ? Outcome.CORRUPT
                : report.leaks() > 0 ? Outcome.LEAKS : Outcome.CLEAN);
        summary.set(words(report));
        statistics.set(statistics(report));
        messages.setAll(report.messages());
    }

    /** qemu-img's verdict, in sentences. */
    static String words(CheckReport report) {
        if (report.corruptions() == 0 && report.leaks() == 0 && report.checkErrors() == 0) {
            return "No errors were found on the image.";
        }
        StringBuilder text = new StringBuilder();
        if (report.corruptions() > 0) {
            text.append("%d error%s found: the image is corrupt and data may be lost if it is used. "
                    .formatted(report.corruptions(), report.corruptions() == 1 ? " was" : "s were"));
        }
        if (report.leaks() > 0) {
            text.append("%d leaked cluster%s: space is wasted, but no data is harmed (qemu-img check -r leaks frees it). "
                    .formatted(report.leaks(), report.leaks() == 1 ? "" : "s"));
        }
        if (report.checkErrors() > 0) {
            text.append("%d internal error%s stopped parts of the check. ".formatted(report.checkErrors(),
                    report.checkErrors() == 1 ? "" : "s"));
        }
        return text.toString().trim();
    }

    private static String statistics(CheckReport report) {
        if (report.totalClusters() == 0) {
            return "";
        }
        double total = report.totalClusters();
        return String.format(Locale.ROOT, "%d/%d = %.2f%% allocated, %.2f%% fragmented, %.2f%% compressed clusters"
                        + " · image end offset %d", report.allocatedClusters(), report.totalClusters(),
                100 * report.allocatedClusters() / total,
                report.allocatedClusters() == 0 ? 0 : 100.0 * report.fragmentedClusters() / report.allocatedClusters(),
                report.allocatedClusters() == 0 ? 0 : 100.0 * report.compressedClusters() / report.allocatedClusters(),
                report.imageEndOffset());
    }

    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Job> jobProperty() {
        return job.getReadOnlyProperty();
    }

    /** What the check of this format looks at (the section's subtitle). */
    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** qemu-img's last lines: allocated, fragmented and compressed clusters, image end offset. */
    public ReadOnlyStringProperty statisticsProperty() {
        return statistics.getReadOnlyProperty();
    }

    public ObservableList<String> messages() {
        return messages;
    }
}

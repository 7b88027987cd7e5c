package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.TaskRunner;

/**
 * The conversions the user started: each runs in the background, one after another (the runner given is a
 * queue), and can be cancelled; a finished one offers to open its result.
 */
public final class ConversionQueueViewModel {
    private final ConversionService service;
    private final TaskRunner queue;
    private final TaskRunner measuring;
    private final LongSupplier nanoClock;
    private final ObservableList<ConversionJobViewModel> jobs = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper available;
    private final ReadOnlyObjectWrapper<ConversionJobViewModel> lastFinished = new ReadOnlyObjectWrapper<>();
    private Consumer<ConversionJobViewModel> onFinished = job -> {
    };

    /**
     * {@code queue} runs conversions (one thread: in order); {@code measuring} runs estimates beside them.
     */
    public ConversionQueueViewModel(ConversionService service, TaskRunner queue, TaskRunner measuring,
                                    LongSupplier nanoClock) {
        this.service = service;
        this.queue = queue;
        this.measuring = measuring;
        this.nanoClock = nanoClock;
        this.available = new ReadOnlyBooleanWrapper(!service.presets().isEmpty());
    }

    /** A new request for converting {@code source}, for the dialog to fill in. */
    public ConversionRequest request(Path source) {
        return new ConversionRequest(source, service, measuring);
    }

    /** Queues the conversion the dialog describes. */
    public ConversionJobViewModel start(ConversionRequest request) {
        request.dispose();
        if (!request.isReady()) {
            throw new IllegalArgumentException("choose a preset, a target other than the source, and whether to replace it");
        }
        return start(request.source(), request.choice(), request.targetProperty().get(), request.replaceProperty().get());
    }

    /** Queues converting {@code source} to {@code target}; a file there is replaced only when {@code replace}. */
    public ConversionJobViewModel start(Path source, ConversionService.Choice choice, Path target, boolean replace) {
        ConversionJobViewModel conversion = new ConversionJobViewModel(source, target, choice, nanoClock);
        jobs.add(conversion);
        conversion.attach(queue.submit(conversion.title(),
                progress -> service.convert(source, choice, target, replace, progress),
                notes -> {
                    conversion.finished(notes);
                    lastFinished.set(conversion);
                    onFinished.accept(conversion);
                },
                failure -> conversion.failed(Problems.describe(failure), failure instanceof CancellationException)));
        return conversion;
    }

    /** Removes finished, failed and cancelled conversions from the list. */
    public void clearFinished() {
        jobs.removeIf(job -> job.status() != ConversionJobViewModel.Status.QUEUED
                && job.status() != ConversionJobViewModel.Status.RUNNING);
    }

    public void cancelAll() {
        jobs.forEach(ConversionJobViewModel::cancel);
    }

    /** Called on the owning thread when a conversion completes (the window offers to open the result). */
    public void setOnFinished(Consumer<ConversionJobViewModel> onFinished) {
        this.onFinished = onFinished;
    }

    public ObservableList<ConversionJobViewModel> jobs() {
        return jobs;
    }

    /** The conversion that finished last (the window offers to open its result); null before any. */
    public ReadOnlyObjectProperty<ConversionJobViewModel> lastFinishedProperty() {
        return lastFinished.getReadOnlyProperty();
    }

    /** The banner about the last finished conversion was dismissed. */
    public void dismissLastFinished() {
        lastFinished.set(null);
    }

    /** False when no conversion engine is present. */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }
}

package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
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
            throw new IllegalArgumentException("choose a preset and a target other than the source");
        }
        return start(request.source(), request.presetProperty().get(), request.targetProperty().get());
    }

    public ConversionJobViewModel start(Path source, ConversionPreset preset, Path target) {
        ConversionJobViewModel conversion = new ConversionJobViewModel(source, target, preset, nanoClock);
        jobs.add(conversion);
        conversion.attach(queue.submit(conversion.title(),
                progress -> {
                    service.convert(source, preset, target, progress);
                    return target;
                },
                done -> {
                    conversion.finished();
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

    /** False when no conversion engine is present. */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }
}

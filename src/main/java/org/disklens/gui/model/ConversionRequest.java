package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.Units;

/**
 * The Convert dialog's model: the source, a preset, the estimated size of the result (measured in the
 * background whenever the preset changes), and where to write it (suggested beside the source).
 */
public final class ConversionRequest {
    private final Path source;
    private final ConversionService service;
    private final TaskRunner runner;
    private final ObservableList<ConversionPreset> presets;
    private final ObjectProperty<ConversionPreset> preset = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper estimate = new ReadOnlyStringWrapper("");
    private Job estimating;

    ConversionRequest(Path source, ConversionService service, TaskRunner runner) {
        this.source = source.toAbsolutePath().normalize();
        this.service = service;
        this.runner = runner;
        this.presets = FXCollections.observableArrayList(service.presets());
        preset.addListener((observable, old, chosen) -> presetChanged(chosen));
        if (!presets.isEmpty()) {
            preset.set(presets.getFirst());
        }
    }

    private void presetChanged(ConversionPreset chosen) {
        if (chosen == null) {
            return;
        }
        target.set(suggestTarget(chosen));
        if (estimating != null) {
            estimating.cancel();
        }
        estimate.set("Estimating…");
        estimating = runner.submit("Measuring " + source.getFileName(),
                progress -> service.estimate(source, chosen, progress),
                bytes -> {
                    if (chosen == preset.get()) {
                        estimate.set("About %s".formatted(Units.size(bytes)));
                    }
                },
                failure -> {
                    if (chosen == preset.get() && !(failure instanceof CancellationException)) {
                        estimate.set("No estimate: " + Problems.describe(failure));
                    }
                });
    }

    /** {@code disk.qcow2} → {@code disk-converted.vmdk} beside it (never the source itself). */
    Path suggestTarget(ConversionPreset chosen) {
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path folder = source.getParent();
        Path suggestion = folder.resolve(stem + "." + chosen.extension());
        return suggestion.equals(source) ? folder.resolve(stem + "-converted." + chosen.extension()) : suggestion;
    }

    public Path source() {
        return source;
    }

    public ObservableList<ConversionPreset> presets() {
        return presets;
    }

    public ObjectProperty<ConversionPreset> presetProperty() {
        return preset;
    }

    public ObjectProperty<Path> targetProperty() {
        return target;
    }

    /** "About 1.2 GiB", while and after measuring. */
    public ReadOnlyStringProperty estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    public boolean isReady() {
        return preset.get() != null && target.get() != null && !target.get().toAbsolutePath().normalize().equals(source);
    }

    void dispose() {
        if (estimating != null) {
            estimating.cancel();
        }
    }
}

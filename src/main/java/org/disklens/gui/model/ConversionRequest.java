package org.disklens.gui.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.Units;

/**
 * The Convert dialog's model: the source, a preset, whether to shrink (drop the space the guest has freed), the
 * estimated size of the result with and without shrinking (measured in the background whenever the preset changes),
 * and where to write it (suggested beside the source). A target that exists is replaced only when the user said so.
 */
public final class ConversionRequest {
    private final Path source;
    private final ConversionService service;
    private final TaskRunner runner;
    private final ObservableList<ConversionPreset> presets;
    private final ObjectProperty<ConversionPreset> preset = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> target = new SimpleObjectProperty<>();
    private final BooleanProperty shrink = new SimpleBooleanProperty(false);
    private final BooleanProperty replace = new SimpleBooleanProperty(false);
    private final ReadOnlyBooleanWrapper targetExists = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper estimate = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper shrinkEstimate = new ReadOnlyStringWrapper("");
    private final BooleanBinding ready;
    private ConversionEstimate whole;
    private ConversionEstimate shrunk;
    private Job estimating;

    ConversionRequest(Path source, ConversionService service, TaskRunner runner) {
        this.source = source.toAbsolutePath().normalize();
        this.service = service;
        this.runner = runner;
        this.presets = FXCollections.observableArrayList(service.presets());
        preset.addListener((observable, old, chosen) -> presetChanged(chosen));
        shrink.addListener((observable, old, on) -> showEstimate());
        target.addListener((observable, old, path) -> {
            targetExists.set(path != null && Files.exists(path));
            replace.set(false);
        });
        ready = Bindings.createBooleanBinding(this::isReady, preset, target, targetExists, replace);
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
        whole = null;
        shrunk = null;
        estimate.set("Estimating…");
        shrinkEstimate.set("");
        estimating = runner.submit("Measuring " + source.getFileName(),
                progress -> new ConversionEstimate[] {
                    service.estimate(source, new ConversionService.Choice(chosen, false), progress),
                    service.estimate(source, new ConversionService.Choice(chosen, true), progress)},
                estimates -> {
                    if (chosen == preset.get()) {
                        whole = estimates[0];
                        shrunk = estimates[1];
                        showEstimate();
                    }
                },
                failure -> {
                    if (chosen == preset.get() && !(failure instanceof CancellationException)) {
                        estimate.set("No estimate: " + Problems.describe(failure));
                    }
                });
    }

    /** The estimate of what is chosen, and beside Shrink what shrinking saves. */
    private void showEstimate() {
        if (whole == null || shrunk == null) {
            return;
        }
        estimate.set((shrink.get() ? shrunk : whole).describe());
        long saved = whole.size() - shrunk.size();
        shrinkEstimate.set(saved > 0 ? "about %s smaller".formatted(Units.size(saved))
                : "the guest has freed nothing the image stores");
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

    /** Drop the space the guest's file systems have freed ({@code convert --sparsify}). */
    public BooleanProperty shrinkProperty() {
        return shrink;
    }

    /** The target exists: it is replaced only if {@link #replaceProperty()} is set. */
    public ReadOnlyBooleanProperty targetExistsProperty() {
        return targetExists.getReadOnlyProperty();
    }

    /** The user's answer to "Replace?"; reset whenever the target changes. */
    public BooleanProperty replaceProperty() {
        return replace;
    }

    /** "About 1.2 GiB", while and after measuring. */
    public ReadOnlyStringProperty estimateProperty() {
        return estimate.getReadOnlyProperty();
    }

    /** What shrinking saves: "about 27 GiB smaller". */
    public ReadOnlyStringProperty shrinkEstimateProperty() {
        return shrinkEstimate.getReadOnlyProperty();
    }

    /** A preset and a target other than the source, and no file there that the user has not agreed to replace. */
    public boolean isReady() {
        return preset.get() != null && target.get() != null && !target.get().toAbsolutePath().normalize().equals(source)
                && (!targetExists.get() || replace.get());
    }

    public BooleanBinding readyProperty() {
        return ready;
    }

    ConversionService.Choice choice() {
        return new ConversionService.Choice(preset.get(), shrink.get());
    }

    void dispose() {
        if (estimating != null) {
            estimating.cancel();
        }
    }
}

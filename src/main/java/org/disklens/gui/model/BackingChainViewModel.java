package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.inspect.AllocationSummary;
import org.disklens.image.Units;

/**
 * The backing chain, top first: each layer's file, sizes and how much of the guest view it provides (from
 * the whole-disk allocation summary), and the link that could not be followed, with why and where.
 */
public final class BackingChainViewModel {
    /**
     * One layer as the chain graph shows it. {@code provided} is -1 until the allocation is known; for the
     * deepest slot of a very long chain it sums that layer and all below it.
     */
    public record Layer(int depth, String fileName, Path path, String format, long virtualSize, long fileSize,
                        long allocatedBytes, String backingName, long provided, double share) {
        public String role() {
            return depth == 0 ? "This image" : "Backing layer " + depth;
        }

        public String providedText() {
            return provided < 0 ? "measuring…" : "provides %s of the guest view (%s)".formatted(Units.size(provided),
                    Units.percent(Math.round(share * 1_000_000), 1_000_000));
        }
    }

    private final ObservableList<Layer> layers = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<OpenedImage.Broken> broken = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper brokenText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper unprovidedText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectProperty<AllocationSummary> wholeDisk;
    private List<LayerFacts> facts = List.of();

    /** {@code wholeDisk}: the allocation of the whole guest disk, when known. */
    BackingChainViewModel(ReadOnlyObjectProperty<AllocationSummary> wholeDisk) {
        this.wholeDisk = wholeDisk;
        wholeDisk.addListener((observable, old, summary) -> update(summary));
    }

    void bind(OpenedImage opened) {
        facts = opened.layers();
        Optional<OpenedImage.Broken> link = opened.broken();
        broken.set(link.orElse(null));
        brokenText.set(link.map(BackingChainViewModel::describe).orElse(""));
        update(wholeDisk.get());
    }

    void clear() {
        facts = List.of();
        layers.clear();
        broken.set(null);
        brokenText.set("");
        unprovidedText.set("");
    }

    private void update(AllocationSummary summary) {
        List<Layer> rows = new ArrayList<>();
        for (int depth = 0; depth < facts.size(); depth++) {
            LayerFacts layer = facts.get(depth);
            long provided = -1;
            double share = 0;
            if (summary != null && depth < summary.layers()) {
                provided = summary.provided(depth);
                share = (double) provided / Math.max(1, summary.end() - summary.start());
            }
            rows.add(new Layer(depth, layer.fileName(), layer.path(), layer.format(), layer.virtualSize(),
                    layer.fileSize(), layer.allocatedBytes(), layer.backing().map(b -> b.name()).orElse(""),
                    provided, share));
        }
        layers.setAll(rows);
        unprovidedText.set(summary == null ? "" : "%s of the guest view is in no layer and reads as zeroes (%s)."
                .formatted(Units.size(summary.totalUnallocated()),
                        Units.percent(summary.totalUnallocated(), summary.end() - summary.start())));
    }

    private static String describe(OpenedImage.Broken link) {
        String where = link.lookedFor().map(path -> "\nLooked for: " + path).orElse("");
        return "The chain stops at '%s': %s%s".formatted(link.reference(), link.reason(), where);
    }

    public ObservableList<Layer> layers() {
        return layers;
    }

    public ReadOnlyObjectProperty<OpenedImage.Broken> brokenProperty() {
        return broken.getReadOnlyProperty();
    }

    /** Why the chain stops early, and the file it looked for; empty when the chain is whole. */
    public ReadOnlyStringProperty brokenTextProperty() {
        return brokenText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty unprovidedTextProperty() {
        return unprovidedText.getReadOnlyProperty();
    }
}

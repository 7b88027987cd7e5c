package org.disklens.gui.model;

import java.util.Comparator;
import java.util.concurrent.CancellationException;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.DiskImage;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;
import org.disklens.inspect.HostLayout;
import org.disklens.image.Units;

/**
 * Where things sit in a layer's host file (header, tables, data, snapshots, leaked and free clusters), and
 * the sentence that explains why the file is bigger than its data.
 */
public final class HostLayoutViewModel {
    /** Bars in the layout chart. */
    public static final int BUCKETS = 160;

    private final TaskRunner runner;
    private final ReadOnlyObjectWrapper<HostLayout> layout = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Job> job = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper explanation = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper layer = new ReadOnlyIntegerWrapper(0);
    private final ObservableList<String> layerNames = FXCollections.observableArrayList();
    private OpenedImage opened;

    public HostLayoutViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage image) {
        clear();
        opened = image;
        layerNames.setAll(image.layers().stream().map(LayerFacts::fileName).toList());
        showLayer(0);
    }

    void clear() {
        if (job.get() != null) {
            job.get().cancel();
        }
        opened = null;
        layout.set(null);
        explanation.set("");
        problem.set("");
        layerNames.clear();
    }

    /** Describes the file of layer {@code depth} (0 = the image itself). */
    public void showLayer(int depth) {
        if (opened == null || depth < 0 || depth >= opened.chain().size()) {
            return;
        }
        if (job.get() != null) {
            job.get().cancel();
        }
        layer.set(depth);
        OpenedImage target = opened;
        DiskImage image = target.chain().layer(depth);
        layout.set(null);
        explanation.set("");
        problem.set("");
        job.set(runner.submit("Reading the file layout", progress -> HostLayout.of(image, BUCKETS, progress),
                result -> {
                    if (target == opened && layer.get() == depth) {
                        layout.set(result);
                        explanation.set(explain(result));
                    }
                },
                failure -> {
                    if (target == opened && !(failure instanceof CancellationException)) {
                        problem.set(Problems.describe(failure));
                    }
                }));
    }

    /**
     * "The file is 720 KiB: 448 KiB of guest data, 208 KiB of metadata (most of it L2 tables), 64 KiB free inside the
     * file." Formats that report no structures of their own (raw, VMDK, ISO) are told as stored bytes and holes.
     */
    static String explain(HostLayout layout) {
        long data = layout.total(Role.DATA) + layout.total(Role.COMPRESSED);
        long metadata = layout.total(Role.METADATA);
        StringBuilder text = new StringBuilder("The file is %s".formatted(Units.size(layout.fileSize())));
        if (metadata == 0) {
            return text.append(": %s stored, %s in sparse holes that take no space on disk.".formatted(
                    Units.size(data), Units.size(layout.total(Role.HOLE)))).toString();
        }
        text.append(": %s of guest data".formatted(Units.size(data)));
        if (layout.total(Role.COMPRESSED) > 0) {
            text.append(" (%s of it compressed)".formatted(Units.size(layout.total(Role.COMPRESSED))));
        }
        HostRegion largest = layout.regions().stream().filter(region -> region.role() == Role.METADATA)
                .max(Comparator.comparingLong(layout::total)).orElseThrow();
        text.append(", %s of metadata (most of it %s)".formatted(Units.size(metadata), largest.label()));
        appendIfAny(text, layout.total(Role.SNAPSHOT), ", %s kept only for snapshots");
        appendIfAny(text, layout.total(Role.FREE), ", %s free inside the file");
        appendIfAny(text, layout.total(Role.LEAKED), ", %s leaked (counted but unused; qemu-img check -r leaks reclaims it)");
        return text.append('.').toString();
    }

    private static void appendIfAny(StringBuilder text, long bytes, String phrase) {
        if (bytes > 0) {
            text.append(phrase.formatted(Units.size(bytes)));
        }
    }

    public ReadOnlyObjectProperty<HostLayout> layoutProperty() {
        return layout.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Job> jobProperty() {
        return job.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty explanationProperty() {
        return explanation.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty layerProperty() {
        return layer.getReadOnlyProperty();
    }

    public ObservableList<String> layerNames() {
        return layerNames;
    }
}

package org.disklens.gui.model;

import java.util.List;
import java.util.Map;
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
import org.disklens.image.HostUse;
import org.disklens.inspect.HostLayout;

/**
 * Where things sit in a layer's host file (header, tables, data, snapshots, leaked and free clusters), and
 * the sentence that explains why the file is bigger than its data.
 */
public final class HostLayoutViewModel {
    /** Bars in the layout chart. */
    public static final int BUCKETS = 160;

    private static final List<HostUse> METADATA = List.of(HostUse.HEADER, HostUse.L1_TABLE, HostUse.L2_TABLES,
            HostUse.REFCOUNT_TABLE, HostUse.REFCOUNT_BLOCKS, HostUse.SNAPSHOT_TABLE, HostUse.BITMAPS,
            HostUse.ENCRYPTION_HEADER);

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
                        explanation.set(explain(result, image.format()));
                    }
                },
                failure -> {
                    if (target == opened && !(failure instanceof CancellationException)) {
                        problem.set(Problems.describe(failure));
                    }
                }));
    }

    /** "The file is 720 KiB: 448 KiB data, 208 KiB metadata (L2 tables 112 KiB, …), 64 KiB free." */
    static String explain(HostLayout layout, String format) {
        Map<HostUse, Long> totals = layout.totals();
        long data = totals.getOrDefault(HostUse.DATA, 0L) + totals.getOrDefault(HostUse.COMPRESSED, 0L);
        StringBuilder text = new StringBuilder("The file is %s".formatted(Formats.size(layout.fileSize())));
        if (!format.equals("qcow2")) {
            long holes = totals.getOrDefault(HostUse.HOLE, 0L);
            return text.append(": %s stored, %s in sparse holes that take no space on disk.".formatted(
                    Formats.size(data), Formats.size(holes))).toString();
        }
        text.append(": %s of guest data".formatted(Formats.size(data)));
        if (totals.getOrDefault(HostUse.COMPRESSED, 0L) > 0) {
            text.append(" (%s of it compressed)".formatted(Formats.size(totals.get(HostUse.COMPRESSED))));
        }
        long metadata = METADATA.stream().mapToLong(use -> totals.getOrDefault(use, 0L)).sum();
        HostUse largest = METADATA.stream().max((a, b) -> Long.compare(totals.getOrDefault(a, 0L),
                totals.getOrDefault(b, 0L))).orElse(HostUse.HEADER);
        text.append(", %s of metadata (most of it %s)".formatted(Formats.size(metadata), largest.label()));
        long snapshots = totals.getOrDefault(HostUse.SNAPSHOT_METADATA, 0L) + totals.getOrDefault(HostUse.SNAPSHOT_DATA, 0L);
        if (snapshots > 0) {
            text.append(", %s kept only for snapshots".formatted(Formats.size(snapshots)));
        }
        long free = totals.getOrDefault(HostUse.FREE, 0L);
        if (free > 0) {
            text.append(", %s free inside the file".formatted(Formats.size(free)));
        }
        long leaked = totals.getOrDefault(HostUse.LEAKED, 0L);
        if (leaked > 0) {
            text.append(", %s leaked (counted but unused; qemu-img check -r leaks reclaims it)".formatted(
                    Formats.size(leaked)));
        }
        return text.append('.').toString();
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

package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.ImageChain;
import org.disklens.inspect.AllocationMap;
import org.disklens.inspect.AllocationSummary;
import org.disklens.inspect.GuestRanges;
import org.disklens.inspect.GuestSpace;
import org.disklens.inspect.MapEntry;
import org.disklens.image.Units;

/**
 * The allocation map of one image: a bucketed summary of the visible guest range (the whole disk, or a
 * zoomed part), computed in the background and recomputed on zoom, and the words for what the pointer is
 * over. The whole-disk summary is kept for the overview and the backing chain.
 */
public final class AllocationViewModel {
    /** Buckets per summary: enough for a detailed grid, few enough to stay small whatever the disk. */
    public static final int BUCKETS = 4096;
    /** Zooming stops when a bucket would be smaller than this. */
    static final long MIN_BUCKET_BYTES = 512;
    /** The hover names at most this many runs of the spot under the pointer. */
    static final int HOVER_RUNS = 3;

    private final TaskRunner runner;
    private final ReadOnlyObjectWrapper<AllocationSummary> wholeDisk = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<AllocationSummary> visible = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Job> job = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper rangeText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hoverText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hoverDetail = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper zoomed = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<PartitionSpan> partitions = FXCollections.observableArrayList();
    private final ObservableList<PartitionSpan> highlighted = FXCollections.observableArrayList();
    private final ObservableList<String> layerNames = FXCollections.observableArrayList();
    private ImageChain chain;
    private GuestRanges freeInGuest = GuestRanges.NONE;
    private int cellsShown;
    private long hoverGeneration;
    private Job hoverJob;

    public AllocationViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage opened) {
        clear();
        chain = opened.chain();
        layerNames.setAll(opened.layers().stream().map(LayerFacts::fileName).toList());
        partitions.setAll(opened.volumes().stream().map(AllocationViewModel::span).toList());
        compute(0, chain.virtualSize());
    }

    /** "1 EFI System (vfat ESP)": what a partition is called over the map. */
    private static PartitionSpan span(org.disklens.content.Volume volume) {
        var partition = volume.partition().orElseThrow();
        String filesystem = volume.filesystem().map(fs -> fs.label().isEmpty() ? fs.type() : fs.type() + " " + fs.label())
                .orElse("");
        String name = partition.scheme().equals("none") ? filesystem
                : "%d %s%s".formatted(partition.index(), partition.name().isEmpty() ? partition.type() : partition.name(),
                        filesystem.isEmpty() ? "" : " (" + filesystem + ")");
        return new PartitionSpan(name, partition.start(), partition.length());
    }

    /** The guest's free space is known: the map tells the stored runs inside it apart, so summaries are made again. */
    void guestSpace(GuestSpace space) {
        if (chain == null) {
            return;
        }
        freeInGuest = space.free().free();
        AllocationSummary shown = visible.get();
        if (shown != null && (shown.start() != 0 || shown.end() != chain.virtualSize())) {
            computeWholeDisk();
            compute(shown.start(), shown.end());
        } else {
            compute(0, chain.virtualSize());
        }
    }

    void clear() {
        cancelRunning();
        chain = null;
        freeInGuest = GuestRanges.NONE;
        wholeDisk.set(null);
        visible.set(null);
        rangeText.set("");
        hoverText.set("");
        hoverDetail.set("");
        problem.set("");
        zoomed.set(false);
        partitions.clear();
        highlighted.clear();
        layerNames.clear();
    }

    // ---- zoom ----

    /** Shows guest bytes {@code [start, end)}, widened to at least the smallest zoom step. */
    public void zoomTo(long start, long end) {
        if (chain == null) {
            return;
        }
        long size = chain.virtualSize();
        long minimum = Math.min(size, MIN_BUCKET_BYTES * BUCKETS);
        long length = Math.max(minimum, end - start);
        long from = Math.max(0, Math.min(start, size - length));
        compute(from, Math.min(size, from + length));
    }

    /** Zooms in four times around {@code guestOffset}. */
    public void zoomIn(long guestOffset) {
        AllocationSummary shown = visible.get();
        if (shown == null) {
            return;
        }
        long length = Math.max(1, (shown.end() - shown.start()) / 4);
        zoomTo(guestOffset - length / 2, guestOffset - length / 2 + length);
    }

    /** Zooms out four times around the middle of what is shown. */
    public void zoomOut() {
        AllocationSummary shown = visible.get();
        if (shown == null || chain == null) {
            return;
        }
        long length = shown.end() - shown.start();
        long wider = length > chain.virtualSize() / 4 ? chain.virtualSize() : length * 4;
        long middle = shown.start() + length / 2;
        zoomTo(middle - wider / 2, middle - wider / 2 + wider);
    }

    public void showWholeDisk() {
        if (chain != null) {
            compute(0, chain.virtualSize());
        }
    }

    private void compute(long start, long end) {
        cancelRunning();
        ImageChain target = chain;
        GuestRanges free = freeInGuest;
        boolean whole = start == 0 && end == target.virtualSize();
        problem.set("");
        job.set(runner.submit("Mapping allocation",
                progress -> AllocationSummary.compute(target, start, end, BUCKETS, free, progress),
                summary -> {
                    if (target != chain) {
                        return;
                    }
                    if (whole) {
                        wholeDisk.set(summary);
                    }
                    visible.set(summary);
                    zoomed.set(!whole);
                    rangeText.set(describeRange(summary, target.virtualSize(), cellsShown));
                },
                failure -> {
                    if (!(failure instanceof CancellationException) && target == chain) {
                        problem.set(Problems.describe(failure));
                    }
                }));
    }

    /** The whole disk again (the overview's), beside a zoomed view; not cancelled by the zoom's own work. */
    private void computeWholeDisk() {
        ImageChain target = chain;
        GuestRanges free = freeInGuest;
        runner.submit("Mapping allocation", progress -> AllocationSummary.compute(target, 0, target.virtualSize(),
                BUCKETS, free, progress), summary -> {
                    if (target == chain && free == freeInGuest) {
                        wholeDisk.set(summary);
                    }
                }, failure -> {
                });
    }

    /** The map shows {@code cells} cells (several buckets each when it is small): the subtitle says their size. */
    public void cellsShown(int cells) {
        cellsShown = cells;
        AllocationSummary shown = visible.get();
        if (shown != null && chain != null) {
            rangeText.set(describeRange(shown, chain.virtualSize(), cells));
        }
    }

    private void cancelRunning() {
        if (job.get() != null) {
            job.get().cancel();
        }
        if (hoverJob != null) {
            hoverJob.cancel();
        }
    }

    /** "Whole disk, 10 GiB · each cell 2.5 MiB", "3 – 3.008 GiB of 4 GiB · each cell 20–25 MiB". */
    static String describeRange(AllocationSummary summary, long diskSize, int cells) {
        String where = summary.start() == 0 && summary.end() == diskSize ? "Whole disk, " + Units.size(diskSize)
                : "%s of %s".formatted(Formats.range(summary.start(), summary.end()), Units.size(diskSize));
        return where + " · each cell " + cellSize(summary, cells);
    }

    /** A cell holds ⌊buckets/cells⌋ or ⌈buckets/cells⌉ buckets (the last bucket may be shorter). */
    private static String cellSize(AllocationSummary summary, int cells) {
        int shown = cells <= 0 ? summary.bucketCount() : Math.min(cells, summary.bucketCount());
        long fewest = summary.bucketCount() / shown;
        long most = (summary.bucketCount() + shown - 1) / shown;
        long smallest = Math.min(fewest * summary.bucketSize(), summary.end() - summary.start());
        long largest = Math.min(most * summary.bucketSize(), summary.end() - summary.start());
        if (smallest == largest || summary.bucketCount() % shown == 0) {
            return Units.size(largest);
        }
        return Formats.sizeRange(smallest, largest);
    }

    // ---- hover ----

    /**
     * The pointer is over guest bytes {@code [start, end)} (one cell of the map): says at once what the
     * summary knows, then looks up the first runs there in the background for their exact state and host offset.
     */
    public void hover(long start, long end) {
        AllocationSummary shown = visible.get();
        if (shown == null || chain == null || end <= start) {
            return;
        }
        // The summary knows whole buckets: say what the buckets under the pointer hold, and which they are.
        start = shown.bucketStart(shown.bucketAt(start));
        end = shown.bucketEnd(shown.bucketAt(end - 1));
        hoverText.set("%s (%s): %s".formatted(Formats.range(start, end), Units.size(end - start),
                composition(shown, start, end)));
        hoverDetail.set("");
        if (hoverJob != null) {
            hoverJob.cancel();
        }
        long generation = ++hoverGeneration;
        ImageChain target = chain;
        long from = start;
        long to = end;
        hoverJob = runner.submit("Looking up " + Units.hex(start), progress -> firstRuns(target, from, to),
                runs -> {
                    if (generation == hoverGeneration && target == chain) {
                        hoverDetail.set(runs);
                    }
                },
                failure -> {
                    if (generation == hoverGeneration && !(failure instanceof CancellationException)) {
                        hoverDetail.set(Problems.describe(failure));
                    }
                });
    }

    public void clearHover() {
        hoverGeneration++;
        hoverText.set("");
        hoverDetail.set("");
    }

    /** "64 KiB data in this image, 2.4 MiB unallocated", largest first, for the cells' buckets. */
    private String composition(AllocationSummary summary, long start, long end) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (int bucket = summary.bucketAt(start); bucket <= summary.bucketAt(end - 1); bucket++) {
            sums.merge(GuestState.UNALLOCATED.inSentence(), summary.unallocated(bucket), Long::sum);
            sums.merge(GuestState.NOT_STORED.inSentence(), summary.notStored(bucket), Long::sum);
            sums.merge(GuestState.ZERO.inSentence(), summary.zero(bucket), Long::sum);
            sums.merge(GuestState.COMPRESSED.inSentence(), summary.compressed(bucket), Long::sum);
            sums.merge(GuestState.FREE_IN_GUEST.inSentence(), summary.freeInGuest(bucket), Long::sum);
            sums.merge(GuestState.UNREADABLE.inSentence(), summary.unreadable(bucket), Long::sum);
            for (int depth = 0; depth < summary.layers(); depth++) {
                sums.merge("data in " + layerName(depth), summary.data(bucket, depth), Long::sum);
            }
        }
        return sums.entrySet().stream().filter(part -> part.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .map(part -> Units.size(part.getValue()) + " " + part.getKey())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private String firstRuns(ImageChain target, long start, long end) throws java.io.IOException {
        AllocationMap map = new AllocationMap(target);
        List<String> runs = new ArrayList<>();
        long at = start;
        MapEntry pending = null;
        while (at < end && runs.size() < HOVER_RUNS) {
            MapEntry entry = map.entryAt(at, end - at);
            if (pending != null && sameState(pending, entry)) {
                pending = new MapEntry(pending.start(), pending.length() + entry.length(), pending.depth(),
                        pending.present(), pending.zero(), pending.data(), pending.compressed(), pending.offset());
            } else {
                if (pending != null) {
                    runs.add(describeRun(pending));
                }
                pending = entry;
            }
            at = entry.end();
        }
        if (pending != null && runs.size() < HOVER_RUNS) {
            runs.add(describeRun(pending));
        }
        String text = String.join("\n", runs);
        return at < end ? text + "\n…" : text;
    }

    private static boolean sameState(MapEntry a, MapEntry b) {
        return a.depth() == b.depth() && a.present() == b.present() && a.zero() == b.zero() && a.data() == b.data()
                && a.compressed() == b.compressed() && a.hasOffset() == b.hasOffset()
                && (!a.hasOffset() || a.offset() + a.length() == b.offset());
    }

    /** "0x40000000 – 0x40020000: data in this image (thin.qcow2), host offset 0x78000". */
    String describeRun(MapEntry entry) {
        String state;
        if (!entry.present()) {
            state = "unallocated (reads as zeroes)";
        } else if (entry.zero() && (entry.data() || chain != null && chain.layer(entry.depth()).isPlainFile())) {
            state = "not stored: a hole in the file of " + layerName(entry.depth()) + " (reads as zeroes)";
        } else if (entry.compressed()) {
            state = "compressed in " + layerName(entry.depth());
        } else if (entry.zero()) {
            state = "zero in " + layerName(entry.depth());
        } else {
            state = "data in " + layerName(entry.depth());
        }
        long free = entry.data() && !entry.zero() ? freeInGuest.overlap(entry.start(), entry.end()) : 0;
        String guest = free == 0 ? "" : free == entry.length() ? ", free in the guest"
                : ", %s of it free in the guest".formatted(Units.size(free));
        String host = entry.hasOffset() ? ", host offset " + Units.hex(entry.offset()) : "";
        return "%s – %s: %s%s%s".formatted(Units.hex(entry.start()), Units.hex(entry.end()), state, host, guest);
    }

    /** "this image (top.qcow2)", "backing layer 1 (base.qcow2)". */
    String layerName(int depth) {
        String file = depth < layerNames.size() ? " (" + layerNames.get(depth) + ")" : "";
        if (depth == AllocationSummary.MAX_LAYERS - 1 && layerNames.size() > AllocationSummary.MAX_LAYERS) {
            return "backing layers %d and deeper".formatted(depth);
        }
        return depth == 0 ? "this image" + file : "backing layer " + depth + file;
    }

    // ---- properties ----

    public ReadOnlyObjectProperty<AllocationSummary> wholeDiskProperty() {
        return wholeDisk.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<AllocationSummary> visibleProperty() {
        return visible.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Job> jobProperty() {
        return job.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty rangeTextProperty() {
        return rangeText.getReadOnlyProperty();
    }

    /** What the summary says about the cell under the pointer: range, size and states. */
    public ReadOnlyStringProperty hoverTextProperty() {
        return hoverText.getReadOnlyProperty();
    }

    /** The exact runs under the pointer with their host offsets, once looked up. */
    public ReadOnlyStringProperty hoverDetailProperty() {
        return hoverDetail.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty zoomedProperty() {
        return zoomed.getReadOnlyProperty();
    }

    /** Partitions and file systems to draw over the map (filled when the content layer knows them). */
    /** Marks guest runs on the map ({@code {start, length}} each): where the file selected in Files lives. */
    void highlight(String label, List<long[]> runs) {
        highlighted.setAll(runs.stream().map(run -> new PartitionSpan(label, run[0], run[1]))
                .sorted(java.util.Comparator.comparingLong(PartitionSpan::start)).toList());
    }

    /** The guest runs marked on the map, in guest order. */
    public ObservableList<PartitionSpan> highlighted() {
        return highlighted;
    }

    public ObservableList<PartitionSpan> partitions() {
        return partitions;
    }

    /** File names of the chain's layers, top first. */
    public ObservableList<String> layerNames() {
        return layerNames;
    }
}

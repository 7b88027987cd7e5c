package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.image.DiskImage;
import org.disklens.image.FeatureFlag;
import org.disklens.image.Snapshot;
import org.disklens.inspect.AllocationSummary;
import org.disklens.image.Units;

/**
 * The overview of one image: the thin-provisioning story in one line ("10 GiB disk, 193 KiB on disk,
 * 0.002 % allocated"), the facts, the feature flags, and — once the allocation is mapped — where the guest
 * view comes from.
 */
public final class OverviewViewModel {
    /** A labelled value. */
    public record Fact(String label, String value) {
    }

    /** A feature or state flag; {@code tone} says how it is drawn. */
    public record Flag(String name, String value, Tone tone) {
    }

    public enum Tone { NEUTRAL, GOOD, WARNING, DANGER }

    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper subtitle = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper allocatedShare = new ReadOnlyDoubleWrapper(0);
    private final ObservableList<Fact> facts = FXCollections.observableArrayList();
    private final ObservableList<Flag> flags = FXCollections.observableArrayList();
    private final ObservableList<Fact> guestView = FXCollections.observableArrayList();
    private final ObservableList<Fact> details = FXCollections.observableArrayList();
    private final ReadOnlyObjectProperty<AllocationSummary> wholeDisk;
    private List<LayerFacts> layers = List.of();

    OverviewViewModel(ReadOnlyObjectProperty<AllocationSummary> wholeDisk) {
        this.wholeDisk = wholeDisk;
        wholeDisk.addListener((observable, old, summary) -> updateGuestView(summary));
    }

    void bind(OpenedImage opened) {
        layers = opened.layers();
        LayerFacts top = opened.topFacts();
        headline.set(thinStory(top.virtualSize(), top.allocatedBytes()));
        allocatedShare.set(top.virtualSize() > 0 ? Math.min(1, (double) top.allocatedBytes() / top.virtualSize()) : 0);
        subtitle.set(subtitle(opened));
        facts.setAll(facts(opened));
        flags.setAll(flags(opened));
        // A format with a header sheet of its own shows it there; the others' facts are told here.
        details.setAll(opened.top().headerFields().isEmpty() ? detailsOf(opened.header()) : List.of());
        updateGuestView(wholeDisk.get());
    }

    void clear() {
        layers = List.of();
        headline.set("");
        subtitle.set("");
        allocatedShare.set(0);
        facts.clear();
        flags.clear();
        guestView.clear();
        details.clear();
    }

    /** "10 GiB disk, 193 KiB on disk, 0.002 % allocated". */
    public static String thinStory(long virtualSize, long allocatedBytes) {
        return "%s disk, %s on disk, %s allocated".formatted(Units.size(virtualSize), Units.size(allocatedBytes),
                Units.percent(allocatedBytes, virtualSize));
    }

    private static String subtitle(OpenedImage opened) {
        List<String> parts = new ArrayList<>();
        parts.add(opened.top().formatTitle());
        opened.topFacts().clusterSize().ifPresent(size -> parts.add(Units.size(size) + " clusters"));
        if (opened.layers().size() > 1) {
            parts.add("backed by " + opened.layers().get(1).fileName()
                    + (opened.layers().size() > 2 ? " and %d more".formatted(opened.layers().size() - 2) : ""));
        } else if (opened.broken().isPresent()) {
            parts.add("backing file missing");
        }
        return String.join(" · ", parts);
    }

    private static List<Fact> facts(OpenedImage opened) {
        LayerFacts top = opened.topFacts();
        List<Fact> rows = new ArrayList<>();
        rows.add(new Fact("File", top.fileName()));
        rows.add(new Fact("Folder", String.valueOf(top.path().getParent())));
        rows.add(new Fact("Format", opened.top().format()));
        for (var usage : opened.usedBy()) {
            rows.add(new Fact("Used by", "VM %s (%s)%s".formatted(usage.domain().name(), usage.disk().where(),
                    usage.depth() == 0 ? "" : ", as backing layer " + usage.depth())));
        }
        rows.add(new Fact("Virtual size", "%s (%s)".formatted(Units.size(top.virtualSize()),
                Units.exactBytes(top.virtualSize()))));
        rows.add(new Fact("File size", "%s (%s)".formatted(Units.size(top.fileSize()), Units.exactBytes(top.fileSize()))));
        rows.add(new Fact("On disk", "%s — %s of the virtual size".formatted(Units.size(top.allocatedBytes()),
                Units.percent(top.allocatedBytes(), top.virtualSize()))));
        top.clusterSize().ifPresent(size -> rows.add(new Fact("Cluster size", Units.size(size))));
        top.backing().ifPresent(backing -> rows.add(new Fact("Backing file", backing.name()
                + backing.format().map(format -> " (" + format + ")").orElse(""))));
        if (opened.layers().size() > 1) {
            long chainBytes = opened.layers().stream().mapToLong(LayerFacts::allocatedBytes).sum();
            rows.add(new Fact("Whole chain", "%d layers, %s on disk".formatted(opened.layers().size(),
                    Units.size(chainBytes))));
        }
        List<Snapshot> snapshots = opened.snapshots();
        if (!snapshots.isEmpty()) {
            rows.add(new Fact("Snapshots", "%d (%s)".formatted(snapshots.size(),
                    String.join(", ", snapshots.stream().map(Snapshot::name).limit(5).toList()))));
        }
        if (!opened.bitmaps().isEmpty()) {
            rows.add(new Fact("Bitmaps", "%d (%s)".formatted(opened.bitmaps().size(),
                    String.join(", ", opened.bitmaps().stream().map(OpenedImage.Bitmap::name).limit(5).toList()))));
        }
        return rows;
    }

    private static List<Flag> flags(OpenedImage opened) {
        List<Flag> list = new ArrayList<>();
        for (var usage : opened.usedBy()) {
            usage.warning().ifPresent(warning -> list.add(new Flag("libvirt", warning, Tone.DANGER)));
        }
        DiskImage top = opened.top();
        if (top.hasDirtyFlag()) {
            list.add(new Flag("dirty", top.dirty() ? "yes" : "no", top.dirty() ? Tone.WARNING : Tone.GOOD));
        }
        for (FeatureFlag feature : top.features()) {
            list.add(new Flag(feature.name(), feature.value(), tone(feature.concern())));
        }
        return list;
    }

    private static Tone tone(FeatureFlag.Concern concern) {
        return switch (concern) {
            case NEUTRAL -> Tone.NEUTRAL;
            case GOOD -> Tone.GOOD;
            case WARNING -> Tone.WARNING;
            case DANGER -> Tone.DANGER;
        };
    }

    private static List<Fact> detailsOf(List<HeaderField> header) {
        return header.stream().map(field -> new Fact(field.name(), field.value())).toList();
    }

    private void updateGuestView(AllocationSummary summary) {
        if (summary == null || layers.isEmpty()) {
            guestView.clear();
            return;
        }
        long disk = summary.end() - summary.start();
        List<Fact> rows = new ArrayList<>();
        for (int depth = 0; depth < summary.layers(); depth++) {
            String who = depth == 0 ? "Data in this image" : "Data from " + layers.get(depth).fileName();
            rows.add(new Fact(who, share(summary.totalData(depth), disk)));
        }
        if (summary.totalCompressed() > 0) {
            rows.add(new Fact("Compressed", share(summary.totalCompressed(), disk)));
        }
        rows.add(new Fact("Zero (decided by a layer)", share(summary.totalZero(), disk)));
        rows.add(new Fact("Unallocated (reads as zeroes)", share(summary.totalUnallocated(), disk)));
        guestView.setAll(rows);
    }

    private static String share(long bytes, long whole) {
        return "%s (%s)".formatted(Units.size(bytes), Units.percent(bytes, whole));
    }

    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty subtitleProperty() {
        return subtitle.getReadOnlyProperty();
    }

    /** Bytes on disk over the virtual size, 0..1. */
    public ReadOnlyDoubleProperty allocatedShareProperty() {
        return allocatedShare.getReadOnlyProperty();
    }

    public ObservableList<Fact> facts() {
        return facts;
    }

    public ObservableList<Flag> flags() {
        return flags;
    }

    /** Where the guest view comes from, once the allocation is mapped. */
    public ObservableList<Fact> guestView() {
        return guestView;
    }

    /** Format-specific facts (ISO volume fields, VMDK descriptor keys); empty for qcow2 (see the header sheet). */
    public ObservableList<Fact> details() {
        return details;
    }
}

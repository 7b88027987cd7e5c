package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
import org.disklens.inspect.GuestSpace;
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

    /** Something met while reading the image that the user must know: a title and plain words. */
    public record Warning(String title, String text) {
    }

    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper subtitle = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper reclaimable = new ReadOnlyStringWrapper("");
    private final ObservableList<Warning> warnings = FXCollections.observableArrayList();
    private List<Warning> openWarnings = List.of();
    private Optional<Warning> damage = Optional.empty();
    private final java.util.Map<String, Warning> laterProblems = new java.util.LinkedHashMap<>();
    private long chainOnDisk;
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
        chainOnDisk = opened.layers().stream().mapToLong(LayerFacts::allocatedBytes).sum();
        headline.set(thinStory(top.virtualSize(), top.allocatedBytes(), opened.layers().size() > 1
                ? OptionalLong.of(chainOnDisk) : OptionalLong.empty()));
        allocatedShare.set(top.virtualSize() > 0 ? Math.min(1, (double) top.allocatedBytes() / top.virtualSize()) : 0);
        subtitle.set(subtitle(opened));
        facts.setAll(facts(opened));
        flags.setAll(flags(opened));
        // A format with a header sheet of its own shows it there; the others' facts are told here.
        details.setAll(opened.top().headerFields().isEmpty() ? detailsOf(opened.header()) : List.of());
        openWarnings = warningsOf(opened);
        updateGuestView(wholeDisk.get());
    }

    void clear() {
        layers = List.of();
        headline.set("");
        subtitle.set("");
        reclaimable.set("");
        allocatedShare.set(0);
        facts.clear();
        flags.clear();
        guestView.clear();
        details.clear();
        openWarnings = List.of();
        damage = Optional.empty();
        laterProblems.clear();
        warnings.clear();
    }

    /**
     * The guest's use of its disk is known: the story gains "38 GiB on disk; the guest uses 11 GiB of it — 27 GiB is
     * space the guest has freed, recoverable by converting with Shrink".
     */
    void guestSpace(GuestSpace space) {
        long freed = space.reclaimable().total();
        if (freed <= 0) {
            reclaimable.set("");
        } else if (freed < chainOnDisk) {
            reclaimable.set("%s on disk; the guest uses %s of it — %s is space the guest has freed, recoverable by "
                    .formatted(Units.size(chainOnDisk), Units.size(chainOnDisk - freed), Units.size(freed))
                    + "converting with Shrink");
        } else {
            reclaimable.set("%s of what the image stores is space the guest has freed, recoverable by converting with "
                    .formatted(Units.size(freed)) + "Shrink");
        }
    }

    /**
     * A problem met after the image opened (its file layout, its guest's free space), under {@code title}: shown with
     * the others; an empty {@code text} withdraws it.
     */
    void laterProblem(String title, String text) {
        if (text.isEmpty()) {
            laterProblems.remove(title);
        } else {
            laterProblems.put(title, new Warning(title, text));
        }
        showWarnings();
    }

    /** "10 GiB disk, 193 KiB on disk, 0.002 % allocated". */
    public static String thinStory(long virtualSize, long allocatedBytes) {
        return thinStory(virtualSize, allocatedBytes, OptionalLong.empty());
    }

    /**
     * "10 GiB disk, 628 KiB on disk (1.32 MiB with its backing chain), 0.006 % allocated"; a file that takes more
     * than its disk (a tiny raw file in a 4 KiB block) is "fully allocated", not "1463 % allocated".
     */
    static String thinStory(long virtualSize, long allocatedBytes, OptionalLong chainBytes) {
        String chain = chainBytes.isPresent() ? " (%s with its backing chain)".formatted(Units.size(chainBytes.getAsLong()))
                : "";
        String share = allocatedBytes >= virtualSize ? "fully allocated"
                : Units.percent(allocatedBytes, virtualSize) + " allocated";
        return "%s disk, %s on disk%s, %s".formatted(Units.size(virtualSize), Units.size(allocatedBytes), chain, share);
    }

    /** What opening found wrong: a file that is not the format its name says, unreadable contents, a broken chain. */
    private static List<Warning> warningsOf(OpenedImage opened) {
        List<Warning> found = new ArrayList<>();
        opened.notWhatItsNameSays().ifPresent(text -> found.add(new Warning(capitalised(text.substring(0,
                text.indexOf(':'))), capitalised(text.substring(text.indexOf(':') + 2))
                + ". DiskLens reads a file by its content, never by its name.")));
        opened.broken().ifPresent(link -> found.add(new Warning("The backing chain is broken",
                "The backing file '%s' cannot be used: %s. What this image itself stores can be trusted; what it leaves "
                        .formatted(link.reference(), link.reason())
                        + "to its backing file cannot be read, so the guest's files are not shown. See Backing chain.")));
        opened.contentsProblem().ifPresent(problem -> found.add(new Warning("The guest disk's contents cannot be read",
                "Its partition table or file systems could not be read: %s. The image's own structures were read and "
                        .formatted(problem) + "can be trusted. Run Check for details.")));
        return found;
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * "Part of this image cannot be read": what is damaged (in words, the technical reason after it), what was read
     * and can be trusted, where the damage is shown, and Check.
     */
    private static Optional<Warning> damageOf(AllocationSummary summary) {
        if (summary == null || summary.damageCount() == 0) {
            return Optional.empty();
        }
        long disk = summary.end() - summary.start();
        AllocationSummary.Damage first = summary.damage().getFirst();
        String cutShort = first.reason().contains("past the end") ? " (the file looks cut short: its tables point "
                + "past its end)" : "";
        String where = summary.damageCount() == 1 ? "at " + Formats.range(first.start(), first.end())
                : "in %d places, the first at %s".formatted(summary.damageCount(), Formats.range(first.start(), first.end()));
        return Optional.of(new Warning("Part of this image cannot be read",
                "The image's record of where %s of the guest disk is stored cannot be read (%s)%s. The header and the "
                        .formatted(Units.size(summary.totalUnreadable()), where, cutShort)
                        + "other %s of the disk were read and can be trusted; the unreadable part is marked on the "
                        .formatted(Units.size(disk - summary.totalUnreadable()))
                        + "Allocation map. Run Check for details.\nReason: " + first.reason()));
    }

    private void showWarnings() {
        List<Warning> all = new ArrayList<>(openWarnings);
        damage.ifPresent(all::add);
        all.addAll(laterProblems.values());
        warnings.setAll(all);
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
        damage = layers.isEmpty() ? Optional.empty() : damageOf(summary);
        showWarnings();
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
        addIfAny(rows, GuestState.COMPRESSED, summary.totalCompressed(), disk);
        addIfAny(rows, GuestState.FREE_IN_GUEST, summary.totalFreeInGuest(), disk);
        addIfAny(rows, GuestState.ZERO, summary.totalZero(), disk);
        addIfAny(rows, GuestState.NOT_STORED, summary.totalNotStored(), disk);
        if (summary.totalUnallocated() > 0 || summary.totalNotStored() == 0) {
            rows.add(new Fact(GuestState.UNALLOCATED.label(), share(summary.totalUnallocated(), disk)));
        }
        addIfAny(rows, GuestState.UNREADABLE, summary.totalUnreadable(), disk);
        guestView.setAll(rows);
    }

    private static void addIfAny(List<Fact> rows, GuestState state, long bytes, long disk) {
        if (bytes > 0) {
            rows.add(new Fact(state.label(), share(bytes, disk)));
        }
    }

    private static String share(long bytes, long whole) {
        return "%s (%s)".formatted(Units.size(bytes), Units.percent(bytes, whole));
    }

    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    /** "38 GiB on disk; the guest uses 11 GiB of it — 27 GiB is space the guest has freed, …"; empty if none. */
    public ReadOnlyStringProperty reclaimableProperty() {
        return reclaimable.getReadOnlyProperty();
    }

    /** What went wrong reading the image, in words, most important first; empty for a sound image. */
    public ObservableList<Warning> warnings() {
        return warnings;
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

package org.disklens.gui.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.content.Extraction;
import org.disklens.content.FileEntry;
import org.disklens.content.FileReader;
import org.disklens.content.FileSystem;
import org.disklens.content.Volume;
import org.disklens.image.Units;
import org.disklens.inspect.FileLocation;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;

/**
 * The file browser of an image's file systems: the volumes DiskLens can list (an ISO, partitions, logical volumes) to
 * choose from, directories listed on demand in the background, extraction to a chosen place, and files prepared in a
 * temporary folder so they can be dragged out of the window without the window waiting.
 */
public final class FilesViewModel {
    /** Files up to this size are prepared for dragging out as soon as they are selected. */
    static final long DRAG_LIMIT = 256L << 20;

    private final TaskRunner runner;
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<Volume> volumes = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Volume> volume = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<FileEntry> root = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper naming = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Path> draggable = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<FileLocation> location = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper locationText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper damage = new ReadOnlyStringWrapper("");
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObservableList<FileEntry> found = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Job> finding = new ReadOnlyObjectWrapper<>();
    private FileSystem tree;
    private OpenedImage image;
    private Job preparing;
    private Job opening;
    private Job locating;

    public FilesViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage opened) {
        clear();
        image = opened;
        volumes.setAll(opened.fileSystems());
        available.set(!volumes.isEmpty());
        // A file system over the whole disk (an ISO) is the disk's own; else the first partition that has one.
        volumes.stream().filter(candidate -> candidate.id().equals("0")).findFirst()
                .or(() -> volumes.stream().findFirst()).ifPresent(this::select);
    }

    /** Opens {@code chosen}'s file system in the background and shows its root. */
    public void select(Volume chosen) {
        if (opening != null) {
            opening.cancel();
        }
        volume.set(chosen);
        tree = null;
        root.set(null);
        naming.set("");
        opening = runner.submit("Opening " + chosen.description(), progress -> chosen.open(), opened -> {
            if (volume.get() == chosen) {
                tree = opened;
                root.set(opened.root());
                naming.set(namingOf(opened.naming()));
                showDamage(opened);
            }
        }, failure -> status.set("Could not open %s: %s".formatted(chosen.description(), Problems.describe(failure))));
    }

    /** What the file system found damaged but read past: the latest in words, and how many there are. */
    private void showDamage(FileSystem fileSystem) {
        List<String> warnings = fileSystem.warnings();
        damage.set(warnings.isEmpty() ? "" : "Damaged in %d place%s; what could be read is shown. Latest: %s".formatted(
                warnings.size(), warnings.size() == 1 ? "" : "s", warnings.getLast()));
    }

    /** Damage the file system was read past (a checksum mismatch, a directory read in part); empty when sound. */
    public ReadOnlyStringProperty damageProperty() {
        return damage.getReadOnlyProperty();
    }

    private static String namingOf(String naming) {
        return switch (naming) {
            case "udf" -> "UDF names";
            case "rock-ridge" -> "Rock Ridge names";
            case "joliet" -> "Joliet names";
            case "iso9660" -> "ISO 9660 names";
            default -> naming + " names";
        };
    }

    /** "Partition 2 · ext4 "root" · 18 GiB, 61 % used", for the selector. */
    public static String describe(Volume volume) {
        StringBuilder text = new StringBuilder(volume.description());
        volume.filesystem().ifPresent(info -> {
            text.append(" · ").append(info.type());
            if (!info.label().isEmpty()) {
                text.append(" \"").append(info.label()).append('"');
            }
            info.size().ifPresent(size -> {
                text.append(" · ").append(Units.size(size));
                info.used().ifPresent(used -> text.append(", ").append(Units.percent(used, size)).append(" used"));
            });
        });
        return text.toString();
    }

    void clear() {
        if (preparing != null) {
            preparing.cancel();
        }
        if (opening != null) {
            opening.cancel();
        }
        cancelLocating();
        cancelFinding();
        image = null;
        damage.set("");
        found.clear();
        preview.set("");
        volumes.clear();
        volume.set(null);
        tree = null;
        root.set(null);
        naming.set("");
        status.set("");
        draggable.set(null);
        available.set(false);
    }

    /** Lists a directory in the background; {@code onLoaded} receives its entries on the FX thread. */
    public void list(FileEntry directory, Consumer<List<FileEntry>> onLoaded) {
        FileSystem current = tree;
        if (current == null) {
            return;
        }
        runner.submit("Listing " + directory.path(), progress -> sorted(current.list(directory)), entries -> {
            if (current == tree) {
                onLoaded.accept(entries);
                showDamage(current);
            }
        }, failure -> status.set("Could not list %s: %s".formatted(directory.path(), Problems.describe(failure))));
    }

    /** Folders first, then files, each in natural order ({@code file_2} before {@code file_10}). */
    static List<FileEntry> sorted(List<FileEntry> entries) {
        return entries.stream().sorted(java.util.Comparator.comparing((FileEntry entry) -> !entry.directory())
                .thenComparing(FileEntry::name, NaturalOrder.INSTANCE)).toList();
    }

    /**
     * Copies {@code entry} (a file or a whole directory) to {@code destination} in the background; a file or folder
     * already there is replaced only when {@code replace} (the user said so).
     */
    public Job extract(FileEntry entry, Path destination, boolean replace) {
        FileSystem current = tree;
        status.set("Extracting %s…".formatted(entry.path()));
        return runner.submit("Extracting " + entry.path(),
                progress -> Extraction.extract(current, entry, destination, replace, progress),
                written -> status.set("Extracted %s to %s".formatted(entry.path(), written)),
                failure -> status.set("Could not extract %s: %s".formatted(entry.path(), Problems.describe(failure))));
    }

    /**
     * The selection changed: a file small enough is copied to a temporary folder at once, so that a drag
     * out of the window can hand the desktop a real file without making the window wait.
     */
    public void selected(FileEntry entry) {
        if (preparing != null) {
            preparing.cancel();
        }
        draggable.set(null);
        locate(entry);
        showPreview(entry);
        FileSystem current = tree;
        if (entry == null || current == null || entry.type() != FileEntry.Type.FILE || entry.size() > DRAG_LIMIT) {
            return;
        }
        preparing = runner.submit("Preparing " + entry.path(), progress -> {
            Path folder = Files.createTempDirectory("disklens-drag-");
            folder.toFile().deleteOnExit();
            Path file = Extraction.extract(current, entry, folder, false, progress);
            file.toFile().deleteOnExit();
            return file;
        }, draggable::set, failure -> {
        });
    }

    /** The volumes whose files can be listed, for the selector. */
    public ObservableList<Volume> volumes() {
        return volumes;
    }

    /** The volume whose files are shown. */
    public ReadOnlyObjectProperty<Volume> volumeProperty() {
        return volume.getReadOnlyProperty();
    }

    // ---- where a file lives ----

    /**
     * Follows the selected file down to the image's storage in the background: which guest ranges hold it, and for each
     * whether the image itself, a backing layer, compressed clusters or nothing stores it.
     */
    private void locate(FileEntry entry) {
        cancelLocating();
        location.set(null);
        locationText.set("");
        FileSystem current = tree;
        OpenedImage opened = image;
        Volume shown = volume.get();
        if (entry == null || current == null || opened == null || shown == null || entry.type() != FileEntry.Type.FILE) {
            return;
        }
        locating = runner.submit("Finding where " + entry.path() + " lives",
                progress -> FileLocation.of(opened.chain(), shown, current, entry, progress), result -> {
                    if (current == tree) {
                        location.set(result);
                        locationText.set(describe(result, opened.layers()));
                    }
                }, failure -> locationText.set("Could not follow %s to the disk: %s".formatted(entry.path(),
                        Problems.describe(failure))));
    }

    private void cancelLocating() {
        if (locating != null) {
            locating.cancel();
            locating = null;
        }
    }

    /** "300 KiB in 3 runs: 192 KiB in this image, 108 KiB in base.qcow2 (its backing file)." */
    static String describe(FileLocation location, List<LayerFacts> layers) {
        FileLocation.Totals totals = location.totals();
        long runs = location.pieces().stream().filter(piece -> piece instanceof FileLocation.OnDisk).count();
        List<String> parts = new ArrayList<>();
        for (int depth = 0; depth < totals.dataByLayer().length; depth++) {
            long bytes = totals.dataByLayer()[depth];
            if (bytes > 0) {
                parts.add(Units.size(bytes) + (depth == 0 ? " in this image" : " in " + layers.get(depth).fileName()));
            }
        }
        addIfAny(parts, totals.compressedByImage(), "%s in compressed clusters");
        addIfAny(parts, totals.zeroByImage(), "%s recorded as zeroes");
        addIfAny(parts, totals.unallocated(), "%s stored nowhere (reads as zeroes)");
        addIfAny(parts, totals.compressedByFileSystem(), "%s compressed by the file system");
        addIfAny(parts, totals.holes(), "%s of holes in the file (no disk space)");
        addIfAny(parts, totals.inline(), "%s kept in the file system's metadata");
        String head = "%s in %s%d run%s".formatted(Units.size(location.file().size()), location.more() ? "more than " : "",
                runs, runs == 1 ? "" : "s");
        return parts.isEmpty() ? head + "." : head + ": " + String.join(", ", parts) + ".";
    }

    private static void addIfAny(List<String> parts, long bytes, String phrase) {
        if (bytes > 0) {
            parts.add(phrase.formatted(Units.size(bytes)));
        }
    }

    /** Where the selected file lives, once followed; null while not known. */
    public ReadOnlyObjectProperty<FileLocation> locationProperty() {
        return location.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty locationTextProperty() {
        return locationText.getReadOnlyProperty();
    }

    // ---- preview ----

    /** Text files show their first 64 KiB; anything with NUL bytes or undecodable text shows nothing. */
    static final int PREVIEW_BYTES = 64 * 1024;

    private void showPreview(FileEntry entry) {
        preview.set("");
        FileSystem current = tree;
        if (entry == null || current == null || entry.type() != FileEntry.Type.FILE || entry.size() == 0) {
            return;
        }
        runner.submit("Reading " + entry.path(), progress -> textOf(current, entry), text -> {
            if (current == tree) {
                preview.set(text);
            }
        }, failure -> preview.set(""));
    }

    private static String textOf(FileSystem fileSystem, FileEntry entry) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(PREVIEW_BYTES, entry.size()));
        new FileReader(fileSystem).read(entry, 0, bytes);
        for (int i = 0; i < bytes.limit(); i++) {
            if (bytes.get(i) == 0) {
                return "";
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.flip()).toString();
        } catch (CharacterCodingException notText) {
            // The last character may be cut in half at 64 KiB; anything else is not text.
            return entry.size() > PREVIEW_BYTES ? new String(bytes.array(), 0, bytes.limit(), StandardCharsets.UTF_8) : "";
        }
    }

    /** The selected file's first 64 KiB when it is text, else empty. */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    // ---- filter and find ----

    /** What the current listing is filtered by (names containing it, ignoring case). */
    public StringProperty filterProperty() {
        return filter;
    }

    /** Whether {@code entry} passes the filter; folders always do, so the tree can still be opened. */
    public boolean passesFilter(FileEntry entry) {
        String text = filter.get();
        return text == null || text.isBlank() || entry.directory()
                || entry.name().toLowerCase(Locale.ROOT).contains(text.strip().toLowerCase(Locale.ROOT));
    }

    /** At most this many matches are collected by a search. */
    static final int MAX_FOUND = 10_000;

    /** Searches the whole file system for names containing {@code text}, in the background; cancel with its job. */
    public void find(String text) {
        cancelFinding();
        found.clear();
        FileSystem current = tree;
        String needle = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (current == null || needle.isEmpty()) {
            return;
        }
        finding.set(runner.submit("Finding \"" + text.strip() + "\"", progress -> {
            List<FileEntry> matches = new ArrayList<>();
            try {
                current.walk(current.root(), entry -> {
                    if (entry.name().toLowerCase(Locale.ROOT).contains(needle)) {
                        matches.add(entry);
                        if (matches.size() >= MAX_FOUND) {
                            throw new EnoughFound();
                        }
                    }
                }, progress);
            } catch (EnoughFound enough) {
                // A search that finds this much has found what a window can show.
            }
            return matches;
        }, matches -> {
            if (current == tree) {
                found.setAll(matches);
                status.set(matches.size() >= MAX_FOUND ? "Found the first %,d matches.".formatted(MAX_FOUND)
                        : "Found %,d match%s.".formatted(matches.size(), matches.size() == 1 ? "" : "es"));
            }
        }, failure -> status.set("Search stopped: " + Problems.describe(failure))));
    }

    /** Stops the search early. */
    private static final class EnoughFound extends IOException {
        EnoughFound() {
            super(null, null);
        }
    }

    private void cancelFinding() {
        if (finding.get() != null) {
            finding.get().cancel();
            finding.set(null);
        }
    }

    /** What the last search found. */
    public ObservableList<FileEntry> found() {
        return found;
    }

    /** The running (or last) search, for its progress and its Cancel button. */
    public ReadOnlyObjectProperty<Job> findingProperty() {
        return finding.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<FileEntry> rootProperty() {
        return root.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty namingProperty() {
        return naming.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The selected file, ready in a temporary folder for dragging out; null while not ready. */
    public ReadOnlyObjectProperty<Path> draggableProperty() {
        return draggable.getReadOnlyProperty();
    }
}

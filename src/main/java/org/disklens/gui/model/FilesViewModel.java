package org.disklens.gui.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.content.Extraction;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.Volume;
import org.disklens.image.Units;
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
    private FileSystem tree;
    private Job preparing;
    private Job opening;

    public FilesViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage opened) {
        clear();
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
            }
        }, failure -> status.set("Could not open %s: %s".formatted(chosen.description(), Problems.describe(failure))));
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
        runner.submit("Listing " + directory.path(), progress -> current.list(directory), entries -> {
            if (current == tree) {
                onLoaded.accept(entries);
            }
        }, failure -> status.set("Could not list %s: %s".formatted(directory.path(), Problems.describe(failure))));
    }

    /** Copies {@code entry} (a file or a whole directory) to {@code destination} in the background. */
    public Job extract(FileEntry entry, Path destination) {
        FileSystem current = tree;
        status.set("Extracting %s…".formatted(entry.path()));
        return runner.submit("Extracting " + entry.path(),
                progress -> Extraction.extract(current, entry, destination, false, progress),
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

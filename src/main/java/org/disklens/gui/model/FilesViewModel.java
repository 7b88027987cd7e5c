package org.disklens.gui.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.disklens.content.Extraction;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.gui.task.Job;
import org.disklens.gui.task.TaskRunner;

/**
 * The file browser of an image that holds an ISO 9660 or UDF file system: directories listed on demand in
 * the background, extraction to a chosen place, and files prepared in a temporary folder so they can be
 * dragged out of the window without the window waiting.
 */
public final class FilesViewModel {
    /** Files up to this size are prepared for dragging out as soon as they are selected. */
    static final long DRAG_LIMIT = 256L << 20;

    private final TaskRunner runner;
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<FileEntry> root = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper naming = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Path> draggable = new ReadOnlyObjectWrapper<>();
    private FileSystem tree;
    private Job preparing;

    public FilesViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    void bind(OpenedImage opened) {
        clear();
        Optional<FileSystem> files = opened.files();
        files.ifPresent(found -> {
            tree = found;
            root.set(found.root());
            naming.set(switch (found.naming()) {
                case "udf" -> "UDF names";
                case "rock-ridge" -> "Rock Ridge names";
                case "joliet" -> "Joliet names";
                default -> "ISO 9660 names";
            });
            available.set(true);
        });
    }

    void clear() {
        if (preparing != null) {
            preparing.cancel();
        }
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

package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.gui.task.TaskRunner;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;

/**
 * The window's model: the open images (one tab each), the selected one, recent files, and the conversion
 * queue. Every way of opening — arguments, File → Open, recent files, a drop — ends in {@link #open}.
 */
public final class MainViewModel {
    private final TaskRunner runner;
    private final ImageOpener opener;
    private final RecentFiles recent;
    private final ConversionQueueViewModel conversions;
    private final ObservableList<ImageViewModel> images = FXCollections.observableArrayList();
    private final ObjectProperty<ImageViewModel> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Open an image, or drop one here.");
    private final StringBinding windowTitle;

    public MainViewModel(TaskRunner runner, RecentFiles recent, ConversionQueueViewModel conversions) {
        this.runner = runner;
        this.opener = new ImageOpener(OpenPolicy.DEFAULT);
        this.recent = recent;
        this.conversions = conversions;
        this.windowTitle = Bindings.createStringBinding(() -> selected.get() == null ? "DiskLens"
                : "DiskLens — " + selected.get().titleProperty().get(), selected);
        conversions.setOnFinished(job -> status.set("Converted %s to %s.".formatted(job.source().getFileName(),
                job.target().getFileName())));
    }

    /**
     * Opens each file in its own tab; a file already open is read again (re-opening refreshes). The last
     * one becomes the selected tab.
     */
    public void open(List<Path> files) {
        ImageViewModel last = null;
        for (Path file : files) {
            Path path = file.toAbsolutePath().normalize();
            ImageViewModel image = images.stream().filter(open -> open.path().equals(path)).findFirst().orElse(null);
            if (image == null) {
                image = new ImageViewModel(path, runner, opener);
                images.add(image);
                image.load();
            } else {
                image.reload();
            }
            recent.add(path);
            last = image;
        }
        if (last != null) {
            selected.set(last);
            status.set(files.size() == 1 ? "Opened " + last.titleProperty().get() + "."
                    : "Opened %d images.".formatted(files.size()));
        }
    }

    /** Command-line arguments: each is a file. */
    public void openArguments(List<String> arguments) {
        open(arguments.stream().map(Path::of).toList());
    }

    public void reloadSelected() {
        if (selected.get() != null) {
            selected.get().reload();
            status.set("Reloaded " + selected.get().titleProperty().get() + ".");
        }
    }

    public void close(ImageViewModel image) {
        int index = images.indexOf(image);
        if (index < 0) {
            return;
        }
        image.close();
        images.remove(index);
        if (selected.get() == image) {
            selected.set(images.isEmpty() ? null : images.get(Math.min(index, images.size() - 1)));
        }
    }

    /** Closes every image and cancels the conversions: the window is going away. */
    public void shutdown() {
        List.copyOf(images).forEach(this::close);
        conversions.cancelAll();
    }

    public ObservableList<ImageViewModel> images() {
        return images;
    }

    public ObjectProperty<ImageViewModel> selectedProperty() {
        return selected;
    }

    public RecentFiles recent() {
        return recent;
    }

    public ConversionQueueViewModel conversions() {
        return conversions;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public StringBinding windowTitle() {
        return windowTitle;
    }
}

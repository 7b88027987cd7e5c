package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.ArrayList;
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
        selected.addListener((observed, old, image) -> status.set(image == null ? "Open an image, or drop one here."
                : describe(image)));
        conversions.setOnFinished(job -> status.set("Converted %s to %s.".formatted(job.source().getFileName(),
                job.target().getFileName())));
    }

    /**
     * Opens each file in its own tab; a file already open is read again (re-opening refreshes). The last
     * one becomes the selected tab. A file joins the recent files once it has opened; the status bar says how
     * the batch went once every file has opened or failed.
     */
    public void open(List<Path> files) {
        List<ImageViewModel> batch = new ArrayList<>();
        for (Path file : files) {
            Path path = file.toAbsolutePath().normalize();
            ImageViewModel image = images.stream().filter(open -> open.path().equals(path)).findFirst().orElse(null);
            if (image == null) {
                image = new ImageViewModel(path, runner, opener);
                follow(image);
                images.add(image);
                image.load();
            } else {
                image.reload();
            }
            batch.add(image);
        }
        if (batch.isEmpty()) {
            return;
        }
        selected.set(batch.getLast());
        if (batch.size() > 1) {
            reportWhenSettled(List.copyOf(batch));
        }
    }

    /** Keeps the recent files and the status bar in step with what happens to {@code image}. */
    private void follow(ImageViewModel image) {
        image.statusProperty().addListener((observed, old, now) -> {
            if (now == ImageViewModel.Status.READY) {
                recent.add(image.path());
            } else if (now == ImageViewModel.Status.FAILED) {
                recent.remove(image.path());
            }
            if (image == selected.get()) {
                status.set(describe(image));
            }
        });
    }

    /** "Opened 2 of 4 images; 2 could not be opened.", once none of {@code batch} is loading any more. */
    private void reportWhenSettled(List<ImageViewModel> batch) {
        Runnable report = () -> {
            if (batch.stream().anyMatch(image -> image.status() == ImageViewModel.Status.LOADING)) {
                return;
            }
            long opened = batch.stream().filter(image -> image.status() == ImageViewModel.Status.READY).count();
            status.set(opened == batch.size() ? "Opened %d images.".formatted(opened)
                    : "Opened %d of %d images; %d could not be opened.".formatted(opened, batch.size(),
                            batch.size() - opened));
        };
        if (batch.stream().anyMatch(image -> image.status() == ImageViewModel.Status.LOADING)) {
            for (ImageViewModel image : batch) {
                image.statusProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends ImageViewModel.Status> observed,
                                        ImageViewModel.Status old, ImageViewModel.Status now) {
                        if (now != ImageViewModel.Status.LOADING) {
                            observed.removeListener(this);
                            report.run();
                        }
                    }
                });
            }
        } else {
            report.run();
        }
    }

    /** What the status bar says of the selected image. */
    private static String describe(ImageViewModel image) {
        String name = image.titleProperty().get();
        return switch (image.status()) {
            case LOADING -> "Opening %s…".formatted(name);
            case READY -> "Opened %s.".formatted(name);
            case FAILED -> "Could not open %s: %s".formatted(name, image.problemProperty().get());
            case CLOSED -> "";
        };
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

package org.disklens.gui.model;

import java.nio.file.Path;
import java.util.List;
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
import org.disklens.image.ImageOpener;
import org.disklens.image.Snapshot;
import org.disklens.inspect.GuestSpace;

/**
 * One open image (a tab): opens it in the background, then hands it to the view models of its sections.
 * A failure becomes a readable message in the image's own pane; reloading reads the file again.
 */
public final class ImageViewModel {
    /** Where the image is. */
    public enum Status { LOADING, READY, FAILED, CLOSED }

    private final Path path;
    private final TaskRunner runner;
    private final org.disklens.image.OpenPolicy policy;
    private ImageOpener opener;
    /** The passphrases typed in this tab: asked through {@link #passphraseRequestProperty()}, zeroed when it closes. */
    private TabPassphrases passphrases;
    private final ReadOnlyObjectWrapper<PassphraseRequest> passphraseRequest = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title;
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(Status.LOADING);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper convertibleOnly = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyObjectWrapper<OpenedImage> opened = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Job> job = new ReadOnlyObjectWrapper<>();
    private final ObservableList<Snapshot> snapshots = FXCollections.observableArrayList();
    private final ObservableList<OpenedImage.Bitmap> bitmaps = FXCollections.observableArrayList();
    private final ObservableList<HeaderField> header = FXCollections.observableArrayList();
    private final AllocationViewModel allocation;
    private final OverviewViewModel overview;
    private final BackingChainViewModel backingChain;
    private final HostLayoutViewModel hostLayout;
    private final CheckViewModel check;
    private final FilesViewModel files;
    private final PartitionsViewModel partitions = new PartitionsViewModel();
    private Job readingSpace;
    private final ObservableList<org.disklens.content.Volume> volumes = FXCollections.observableArrayList();
    /** Counts loads, so that the result of a superseded one is dropped. */
    private long generation;

    /** Opens with {@code opener}'s policy; encrypted images and volumes ask their passphrases in this tab. */
    public ImageViewModel(Path path, TaskRunner runner, ImageOpener opener) {
        this.path = path.toAbsolutePath().normalize();
        this.runner = runner;
        this.policy = opener.policy();
        this.passphrases = new TabPassphrases(runner, passphraseRequest::set);
        this.opener = new ImageOpener(policy, java.util.Map.of(), passphrases);
        Path name = this.path.getFileName();
        this.title = new ReadOnlyStringWrapper(name == null ? this.path.toString() : name.toString());
        this.allocation = new AllocationViewModel(runner);
        this.overview = new OverviewViewModel(allocation.wholeDiskProperty());
        this.backingChain = new BackingChainViewModel(allocation.wholeDiskProperty());
        this.hostLayout = new HostLayoutViewModel(runner);
        this.check = new CheckViewModel(runner);
        this.files = new FilesViewModel(runner);
        hostLayout.problemProperty().addListener((observed, old, problem) -> overview.laterProblem(
                "The image file's layout cannot be read", problem.isEmpty() ? ""
                        : problem + ". The guest disk was read and can be trusted. Run Check for details."));
        // Where the file selected in Files lives is drawn over the allocation map.
        files.locationProperty().addListener((observed, old, location) -> allocation.highlight(
                location == null ? "" : location.file().path(), location == null ? List.of() : location.guestRuns()));
    }

    /** Opens the image (again) in the background; sections fill in as their work completes. */
    public void load() {
        if (status.get() == Status.CLOSED) {
            return;
        }
        if (job.get() != null) {
            job.get().cancel();
        }
        releaseOpened();
        if (passphrases.gaveUp()) {
            // The refusals of wrong passphrases are remembered per volume: only new passphrases ask again.
            TabPassphrases renewed = passphrases.renewed();
            passphrases.close();
            passphrases = renewed;
            opener = new ImageOpener(policy, java.util.Map.of(), passphrases);
        } else {
            passphrases.forgetRefusals();
        }
        status.set(Status.LOADING);
        problem.set("");
        convertibleOnly.set(false);
        long current = ++generation;
        ImageOpener opening = opener;
        TabPassphrases asking = passphrases;
        if (showOpenedEarly(current)) {
            return;
        }
        job.set(runner.submit("Opening " + title.get(), progress -> openChain(opening, asking),
                image -> show(image, current),
                failure -> failed(failure, current)));
    }

    /**
     * Shows at once, without a round through the background, the image the launch opened while the window started
     * (when that has ended): the window's first frame then already holds its Overview. False when there is none.
     */
    private boolean showOpenedEarly(long current) {
        if (!EarlyOpen.isDone(path)) {
            return false;
        }
        try {
            java.util.Optional<OpenedImage> early = EarlyOpen.take(path);
            early.ifPresent(image -> show(image, current));
            return early.isPresent();
        } catch (java.io.IOException | RuntimeException failure) {
            failed(failure, current);
            return true;
        }
    }

    private void failed(Throwable failure, long loaded) {
        if (loaded == generation && status.get() == Status.LOADING) {
            problem.set(Problems.describe(failure));
            convertibleOnly.set(Problems.readableOnlyByAConversion(failure));
            status.set(Status.FAILED);
        }
    }

    /** The image opened while the window started, if it was (the launch's files are), else opened now. */
    private OpenedImage openChain(ImageOpener opening, TabPassphrases asking) throws java.io.IOException {
        java.util.Optional<OpenedImage> early = EarlyOpen.take(path);
        return early.isPresent() ? early.get() : OpenedImage.open(opening, path, asking);
    }

    /** Reads the file again: what changed on disk shows. */
    public void reload() {
        load();
    }

    private void show(OpenedImage image, long loaded) {
        if (loaded != generation || status.get() != Status.LOADING) {
            closeQuietly(image);
            return;
        }
        opened.set(image);
        snapshots.setAll(image.snapshots());
        bitmaps.setAll(image.bitmaps());
        header.setAll(image.header());
        allocation.bind(image);
        overview.bind(image);
        backingChain.bind(image);
        hostLayout.bind(image);
        check.bind(image);
        files.bind(image);
        partitions.bind(image);
        volumes.setAll(image.volumes());
        status.set(Status.READY);
        showLocked();
        readGuestSpace(image);
    }

    /** What stays locked (skipped, or every passphrase wrong) is said on the overview, with why. */
    private void showLocked() {
        java.util.Map<String, String> locked = passphrases.locked();
        overview.laterProblem(LOCKED, locked.entrySet().stream()
                .map(entry -> "%s is %s.".formatted(entry.getKey(), entry.getValue()))
                .sorted().reduce((first, second) -> first + "\n" + second).orElse(""));
    }

    /** The overview's title for what stays locked. */
    public static final String LOCKED = "Encrypted data stays locked";

    /**
     * Reads once, in the background, how the guest uses its disk: the free space of its file systems (which the
     * allocation map tells apart), what of it the image stores (the overview's story) and each file system's figures.
     */
    private void readGuestSpace(OpenedImage image) {
        if (image.broken().isPresent() || image.volumes().isEmpty()) {
            return;
        }
        TabPassphrases asking = passphrases;
        readingSpace = runner.submit("Reading the guest's free space", progress -> GuestSpace.of(image.chain(), asking, progress),
                space -> {
                    if (opened.get() == image) {
                        showLocked();
                        allocation.guestSpace(space);
                        overview.guestSpace(space);
                        partitions.guestSpace(space);
                    }
                },
                failure -> {
                    if (opened.get() == image && !(failure instanceof java.util.concurrent.CancellationException)) {
                        overview.laterProblem("The guest's free space cannot be read", Problems.describe(failure)
                                + ". What the image stores is shown as it is.");
                    }
                });
    }

    /** Stops its work and closes the files. */
    public void close() {
        generation++;
        if (job.get() != null) {
            job.get().cancel();
        }
        releaseOpened();
        convertibleOnly.set(false);
        status.set(Status.CLOSED);
        passphraseRequest.set(null);
        // Zeroes what was typed and unlocked; work still reading keeps its own copy of a key until it stops.
        passphrases.close();
    }

    /**
     * The question the tab puts to the user now (the passphrase of an encrypted image or volume), null when none: the
     * view shows it and answers it. Set and cleared on the FX thread.
     */
    public ReadOnlyObjectProperty<PassphraseRequest> passphraseRequestProperty() {
        return passphraseRequest.getReadOnlyProperty();
    }

    private void releaseOpened() {
        if (readingSpace != null) {
            readingSpace.cancel();
            readingSpace = null;
        }
        allocation.clear();
        partitions.clear();
        overview.clear();
        backingChain.clear();
        hostLayout.clear();
        check.clear();
        files.clear();
        volumes.clear();
        snapshots.clear();
        bitmaps.clear();
        header.clear();
        OpenedImage previous = opened.get();
        opened.set(null);
        if (previous != null) {
            closeQuietly(previous);
        }
    }

    /** Closing is I/O too: it runs in the background, and its failure only matters to nobody. */
    private void closeQuietly(OpenedImage image) {
        runner.submit("Closing " + title.get(), progress -> {
            image.close();
            return null;
        }, done -> {
        }, failure -> {
        });
    }

    public Path path() {
        return path;
    }

    public PartitionsViewModel partitions() {
        return partitions;
    }

    public FilesViewModel files() {
        return files;
    }

    /** The partitions (or whole-disk file system) found inside the guest disk. */
    public ObservableList<org.disklens.content.Volume> volumes() {
        return volumes;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public Status status() {
        return status.get();
    }

    /** Why the image could not be opened, in words; empty otherwise. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /**
     * Whether the image failed to open because it can be read only from start to end, as a conversion reads it (the
     * gzip-compressed disk of an OVA): a conversion would still read it. False unless the status is FAILED.
     */
    public ReadOnlyBooleanProperty convertibleOnlyProperty() {
        return convertibleOnly.getReadOnlyProperty();
    }

    public boolean isConvertibleOnly() {
        return convertibleOnly.get();
    }

    public ReadOnlyObjectProperty<OpenedImage> openedProperty() {
        return opened.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Job> jobProperty() {
        return job.getReadOnlyProperty();
    }

    public ObservableList<Snapshot> snapshots() {
        return snapshots;
    }

    public ObservableList<OpenedImage.Bitmap> bitmaps() {
        return bitmaps;
    }

    public ObservableList<HeaderField> header() {
        return header;
    }

    public AllocationViewModel allocation() {
        return allocation;
    }

    public OverviewViewModel overview() {
        return overview;
    }

    public BackingChainViewModel backingChain() {
        return backingChain;
    }

    public HostLayoutViewModel hostLayout() {
        return hostLayout;
    }

    public CheckViewModel check() {
        return check;
    }
}

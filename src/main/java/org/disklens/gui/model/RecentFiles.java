package org.disklens.gui.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The images opened last, newest first, kept between runs by a {@link Store}. */
public final class RecentFiles {
    public static final int MAX = 10;

    /** Where the list lives between runs. */
    public interface Store {
        List<String> load();

        void save(List<String> paths);

        /** Waits (briefly) until what was saved is written: the window calls it as it closes. */
        default void finishWriting() {
        }

        /** Keeps the list in memory only (tests, screenshots). */
        static Store inMemory() {
            List<String> kept = new ArrayList<>();
            return new Store() {
                @Override
                public List<String> load() {
                    return List.copyOf(kept);
                }

                @Override
                public void save(List<String> paths) {
                    kept.clear();
                    kept.addAll(paths);
                }
            };
        }

        /**
         * A text file, one path per line: {@code recent-files} in the user's configuration folder ({@code
         * $XDG_CONFIG_HOME/disklens}, else {@code ~/.config/disklens}). Java's preferences kept the list before; their
         * XML took ~40 ms of the window's start to read. Written on a thread of its own, whole to a temporary file
         * renamed over the old one, so the window's thread never waits for the disk and a crash leaves the list
         * whole.
         */
        static Store file(Path file) {
            ExecutorService writing = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                    .name("disklens-recent-files").factory());
            return new Store() {
                @Override
                public List<String> load() {
                    try {
                        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).limit(MAX).toList();
                    } catch (IOException | UncheckedIOException unreadable) {
                        return List.of();  // none yet, or unreadable: the list starts empty
                    }
                }

                @Override
                public void save(List<String> paths) {
                    List<String> lines = List.copyOf(paths);
                    if (writing.isShutdown()) {
                        return;  // the window is closing: what it saves last was handed over before
                    }
                    writing.execute(() -> {
                        try {
                            Files.createDirectories(file.getParent());
                            Path partial = file.resolveSibling(file.getFileName() + ".partial");
                            Files.write(partial, lines);
                            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING,
                                    StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException | UnsupportedOperationException unsaved) {
                            // The list is a convenience: not saving it must not disturb the user.
                        }
                    });
                }

                @Override
                public void finishWriting() {
                    writing.shutdown();
                    try {
                        writing.awaitTermination(2, TimeUnit.SECONDS);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }

        /** The user's list: {@code recent-files} in DiskLens's configuration folder. */
        static Store standard() {
            String config = System.getenv("XDG_CONFIG_HOME");
            Path folder = config != null && !config.isBlank() ? Path.of(config)
                    : Path.of(System.getProperty("user.home"), ".config");
            return file(folder.resolve("disklens").resolve("recent-files"));
        }
    }

    private final Store store;
    private final ObservableList<Path> files = FXCollections.observableArrayList();

    public RecentFiles(Store store) {
        this.store = store;
        for (String path : store.load()) {
            try {
                files.add(Path.of(path));
            } catch (InvalidPathException ignored) {
                // A stale entry from another system: skip it.
            }
        }
    }

    /** Moves {@code path} to the top. */
    public void add(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        files.remove(absolute);
        files.addFirst(absolute);
        if (files.size() > MAX) {
            files.remove(MAX, files.size());
        }
        store.save(files.stream().map(Path::toString).toList());
    }

    /** Drops {@code path} (it could not be opened). */
    public void remove(Path path) {
        if (files.remove(path.toAbsolutePath().normalize())) {
            store.save(files.stream().map(Path::toString).toList());
        }
    }

    public void clear() {
        files.clear();
        store.save(List.of());
    }

    public ObservableList<Path> files() {
        return files;
    }
}

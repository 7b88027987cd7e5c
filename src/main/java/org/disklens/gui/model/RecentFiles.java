package org.disklens.gui.model;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The images opened last, newest first, kept between runs by a {@link Store}. */
public final class RecentFiles {
    public static final int MAX = 10;

    /** Where the list lives between runs. */
    public interface Store {
        List<String> load();

        void save(List<String> paths);

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

        /** The user's Java preferences (on Linux under ~/.java). */
        static Store preferences() {
            Preferences node = Preferences.userRoot().node("org/disklens/recent");
            return new Store() {
                @Override
                public List<String> load() {
                    List<String> paths = new ArrayList<>();
                    for (int index = 0; index < MAX; index++) {
                        String path = node.get("file" + index, null);
                        if (path != null) {
                            paths.add(path);
                        }
                    }
                    return paths;
                }

                @Override
                public void save(List<String> paths) {
                    for (int index = 0; index < MAX; index++) {
                        if (index < paths.size()) {
                            node.put("file" + index, paths.get(index));
                        } else {
                            node.remove("file" + index);
                        }
                    }
                    try {
                        node.flush();
                    } catch (BackingStoreException unsaved) {
                        // The list is a convenience: not saving it must not disturb the user.
                    }
                }
            };
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

package org.disklens.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.disklens.image.CorruptImage;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;

/**
 * Copies a file, symlink or directory tree out of a file system. A tree is walked twice with the file system's one
 * walker ({@link FileSystem#walkTree}, the walk {@code ls -R} makes, with its bounds): first to check it — a directory
 * that contains itself, a tree too deep or too large, a name that cannot be a file name here, two entries of one
 * directory with the same name — before anything is written; then to write it. It is written under a temporary name
 * in the destination's folder and renamed when complete, so a cancelled or failed extraction leaves nothing; an
 * existing destination is replaced only when asked.
 */
public final class Extraction {
    private Extraction() {
    }

    /**
     * Extracts {@code entry} to {@code destination} (into it, under the entry's name, when it is a folder);
     * returns where it was written.
     */
    public static Path extract(FileSystem fileSystem, FileEntry entry, Path destination, boolean replace, ProgressListener progress)
            throws IOException {
        Path target = destination;
        if (Files.isDirectory(destination) && !entry.path().equals("/")) {
            target = destination.resolve(safeName(fileSystem, entry));
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !replace) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists (use --force to replace it)");
        }
        Path parent = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new FileSystemException(parent.toString(), null,
                    Files.exists(parent) ? "not a folder, cannot extract into it" : "no such folder to extract into");
        }
        check(fileSystem, entry, progress);
        Path temporary = parent.resolve("." + target.getFileName() + ".disklens-tmp-" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
        try {
            write(fileSystem, entry, temporary, progress);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            deleteTree(temporary);
        }
    }

    /**
     * Whether {@code entry} can be extracted, found by walking its tree without writing anything: the walk's own
     * bounds, and names that can be written here, each once per directory. Devices, FIFOs and sockets inside a
     * folder are left out of its copy; asked for by name, one is refused.
     */
    public static void check(FileSystem fileSystem, FileEntry entry, ProgressListener progress) throws IOException {
        if (entry.type() == FileEntry.Type.OTHER) {
            throw new UnsupportedFeature(fileSystem.naming(), "file " + entry.path(), -1,
                    "is a device, FIFO or socket, which cannot be extracted");
        }
        if (entry.directory()) {
            fileSystem.walkTree(entry, new NameCheck(fileSystem)::check, progress);
        }
    }

    /** Names of one directory's entries, which a walk visits one after the other. */
    private static final class NameCheck {
        private final FileSystem fileSystem;
        private FileEntry directory;
        private final Map<String, FileEntry.Type> seen = new HashMap<>();

        NameCheck(FileSystem fileSystem) {
            this.fileSystem = fileSystem;
        }

        void check(FileEntry parent, FileEntry child) throws CorruptImage {
            if (child.type() == FileEntry.Type.OTHER) {
                return;
            }
            if (parent != directory) {
                directory = parent;
                seen.clear();
            }
            FileEntry.Type first = seen.putIfAbsent(safeName(fileSystem, child), child.type());
            if (first != null) {
                throw new CorruptImage(fileSystem.naming(), "directory " + parent.path(), -1,
                        "holds two entries named '%s' (a %s, then a %s): they cannot both be extracted"
                                .formatted(child.name(), first.label(), child.type().label()));
            }
        }
    }

    private static void write(FileSystem fileSystem, FileEntry entry, Path target, ProgressListener progress) throws IOException {
        writeOne(fileSystem, entry, target, progress);
        if (!entry.directory()) {
            setTime(entry, target);
            return;
        }
        Map<FileEntry, Path> folders = new IdentityHashMap<>();
        folders.put(entry, target);
        List<Path> foldersInOrder = new ArrayList<>(List.of(target));
        List<Optional<Instant>> folderTimes = new ArrayList<>(List.of(entry.modified()));
        fileSystem.walkTree(entry, (parent, child) -> {
            if (child.type() == FileEntry.Type.OTHER) {
                return;
            }
            Path at = folders.get(parent).resolve(safeName(fileSystem, child));
            writeOne(fileSystem, child, at, progress);
            if (child.directory()) {
                folders.put(child, at);
                foldersInOrder.add(at);
                folderTimes.add(child.modified());
            } else {
                setTime(child, at);
            }
        }, progress);
        // Last, deepest first: writing into a folder changes its time.
        for (int i = foldersInOrder.size() - 1; i >= 0; i--) {
            if (folderTimes.get(i).isPresent()) {
                Files.setLastModifiedTime(foldersInOrder.get(i), FileTime.from(folderTimes.get(i).get()));
            }
        }
    }

    private static void writeOne(FileSystem fileSystem, FileEntry entry, Path target, ProgressListener progress)
            throws IOException {
        progress.checkCancelled();
        switch (entry.type()) {
            case FILE -> {
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    fileSystem.copy(entry, channel, progress);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(target, Path.of(entry.target().orElse("")));
            case DIRECTORY -> Files.createDirectory(target);
            case OTHER -> throw new UnsupportedFeature(fileSystem.naming(), "file " + entry.path(), -1,
                    "is a device, FIFO or socket, which cannot be extracted");
        }
    }

    private static void setTime(FileEntry entry, Path target) throws IOException {
        if (entry.type() != FileEntry.Type.SYMLINK && entry.modified().isPresent()) {
            Files.setLastModifiedTime(target, FileTime.from(entry.modified().get()));
        }
    }

    /** A name from the image becomes one path component here, never a way out of the destination. */
    static String safeName(FileSystem fileSystem, FileEntry entry) throws CorruptImage {
        String name = entry.name();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0) {
            throw new CorruptImage(fileSystem.naming(), "file " + entry.path(), -1, "its name cannot be a file name here");
        }
        return name;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }
}

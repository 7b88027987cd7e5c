package org.disklens.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;
import org.disklens.image.CorruptImage;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;

/**
 * Copies a file, symlink or directory tree out of a file system. It is written under a temporary name in the
 * destination's folder and renamed when complete, so a cancelled or failed extraction leaves nothing; an
 * existing destination is replaced only when asked; a name from the image is always one path component.
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

    private static void write(FileSystem fileSystem, FileEntry entry, Path target, ProgressListener progress) throws IOException {
        progress.checkCancelled();
        switch (entry.type()) {
            case FILE -> {
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    fileSystem.copy(entry, channel, progress);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(target, Path.of(entry.target().orElse("")));
            case DIRECTORY -> {
                Files.createDirectory(target);
                for (FileEntry child : fileSystem.list(entry)) {
                    // Devices, FIFOs and sockets cannot be made without privileges; a folder's copy leaves them out.
                    if (child.type() != FileEntry.Type.OTHER) {
                        write(fileSystem, child, target.resolve(safeName(fileSystem, child)), progress);
                    }
                }
            }
            case OTHER -> throw new UnsupportedFeature(fileSystem.naming(), "file " + entry.path(), -1,
                    "is a device, FIFO or socket, which cannot be extracted");
        }
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

package org.disklens.convert;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.disklens.image.InvalidRequest;
import org.disklens.image.TargetFiles;

/**
 * The files a conversion writes, each first under a hidden temporary name in its final folder
 * ({@code .NAME.disklens-tmp-XXXXXX}) and renamed to its real name only when the whole conversion succeeded; on
 * cancel or failure every one of them is deleted. Without {@code force}, the rename never replaces a file: it is a
 * hard link (which fails if the name exists) where the file system has them, else a check and an atomic rename.
 */
final class OutputFiles implements TargetFiles, AutoCloseable {
    static final String TEMP_MARK = ".disklens-tmp-";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private record Output(Path finalPath, Path tempPath, FileChannel channel) {
    }

    private final boolean force;
    private final List<Output> outputs = new ArrayList<>();
    private final List<Path> committed = new ArrayList<>();

    OutputFiles(boolean force) {
        this.force = force;
    }

    /** Refuses targets whose folder is missing, that are folders, or that exist (unless {@code force}). */
    static void checkWritable(List<Path> paths, boolean force) throws InvalidRequest {
        for (Path path : paths) {
            Path absolute = path.toAbsolutePath();
            Path folder = absolute.getParent();
            String name = paths.size() > 1 ? path.getFileName() + " " : "";
            if (folder == null || !Files.isDirectory(folder)) {
                throw new InvalidRequest("the folder %s does not exist".formatted(folder));
            }
            if (Files.isDirectory(absolute)) {
                throw new InvalidRequest(name + "is a folder");
            }
            if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !force) {
                throw new InvalidRequest(name + "already exists (use --force to overwrite it)");
            }
        }
    }

    /** Creates the temporary file for {@code finalPath}, open for reading and writing. */
    @Override
    public TargetFile create(Path finalPath) throws IOException {
        Path folder = finalPath.toAbsolutePath().getParent();
        String name = finalPath.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path temp = folder.resolve("." + name + TEMP_MARK + randomSuffix());
            try {
                FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                outputs.add(new Output(finalPath.toAbsolutePath(), temp, channel));
                return new TargetFile(channel, temp);
            } catch (FileAlreadyExistsException taken) {
                if (attempt > 100) {
                    throw taken;
                }
            }
        }
    }

    List<Path> temporaryPaths() {
        return outputs.stream().map(Output::tempPath).toList();
    }

    /** Closes every file and gives each its final name, in the order they were created. */
    void commit() throws IOException {
        closeChannels();
        try {
            for (Output output : outputs) {
                publish(output.tempPath(), output.finalPath());
                committed.add(output.finalPath());
            }
            outputs.clear();
        } catch (IOException failed) {
            // A multi-file image half renamed is useless: take back what was already renamed.
            for (Path path : committed) {
                Files.deleteIfExists(path);
            }
            committed.clear();
            throw failed;
        }
    }

    private void publish(Path temp, Path target) throws IOException {
        if (force) {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.createLink(target, temp);
            Files.delete(temp);
            return;
        } catch (FileAlreadyExistsException exists) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to overwrite it)");
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            // No hard links here (FAT, some network file systems): check, then rename.
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to overwrite it)");
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException notAtomic) {
            Files.move(temp, target);
        }
    }

    /** Closes and deletes every temporary file; nothing of the conversion is left behind. */
    void discard() {
        try {
            closeChannels();
        } catch (IOException ignored) {
            // Deleting is what matters now.
        }
        for (Output output : outputs) {
            try {
                Files.deleteIfExists(output.tempPath());
            } catch (IOException ignored) {
                // Best effort; the name says what it is.
            }
        }
        outputs.clear();
    }

    private void closeChannels() throws IOException {
        IOException first = null;
        for (Output output : outputs) {
            try {
                output.channel().close();
            } catch (IOException failed) {
                first = first == null ? failed : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        discard();
    }

    /** Only needs to avoid collisions: the file is created exclusively, so a guessed name cannot be used against it. */
    private static String randomSuffix() {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}

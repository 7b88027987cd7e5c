package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.disklens.content.FileEntry;
import org.disklens.content.FileTree;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code extract}: copy a file (or a directory tree) out of an ISO. It is written under a temporary name in
 * the destination's folder and renamed when complete; an existing destination is never overwritten unless
 * {@code --force} says so. A DEST that is a folder receives the file under its own name.
 */
@Command(name = "extract", description = "Copy one file or directory out of an ISO.")
final class ExtractCommand implements Callable<Integer> {
    @Mixin
    ImageOptions options;

    @Option(names = "--force", description = "Replace DEST if it exists.")
    boolean force;

    @Parameters(index = "0", paramLabel = "ISO")
    String file;

    @Parameters(index = "1", paramLabel = "PATH")
    String path;

    @Parameters(index = "2", paramLabel = "DEST")
    String destination;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (ContentSource content = ContentSource.open(options, file)) {
            FileTree tree = content.tree();
            FileEntry entry = tree.resolve(path).orElseThrow(() -> new ImageException("no such path in the image: " + path));
            Path target = Path.of(destination);
            if (Files.isDirectory(target) && !entry.path().equals("/")) {
                target = target.resolve(safeName(entry));
            }
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !force) {
                throw new FileAlreadyExistsException(target.toString(), null, "exists (use --force to replace it)");
            }
            Path parent = target.toAbsolutePath().getParent();
            Path temporary = parent.resolve("." + target.getFileName() + ".disklens-tmp-" + ProcessHandle.current().pid());
            try {
                write(tree, entry, temporary);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                deleteTree(temporary);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.flush();
        return 0;
    }

    private static void write(FileTree tree, FileEntry entry, Path target) throws IOException {
        switch (entry.type()) {
            case FILE -> {
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    tree.copy(entry, channel, ProgressListener.NONE);
                }
            }
            case SYMLINK -> Files.createSymbolicLink(target, Path.of(entry.target().orElse("")));
            case DIRECTORY -> {
                Files.createDirectory(target);
                for (FileEntry child : tree.list(entry)) {
                    write(tree, child, target.resolve(safeName(child)));
                }
            }
        }
        if (entry.type() != FileEntry.Type.SYMLINK && entry.modified().isPresent()) {
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.from(entry.modified().get()));
        }
    }

    /** A name from the image becomes one path component here, never a way out of the destination. */
    private static String safeName(FileEntry entry) throws CorruptImage {
        String name = entry.name();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.indexOf('\0') >= 0) {
            throw new CorruptImage("iso", "file " + entry.path(), -1, "its name cannot be a file name here");
        }
        return name;
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        }
    }
}

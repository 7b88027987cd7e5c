package org.disklens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.disklens.content.Extraction;
import org.disklens.content.FileEntry;
import org.disklens.content.FileTree;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Override
    public Integer call() throws IOException {
        try (ContentSource content = ContentSource.open(options, file)) {
            FileTree tree = content.tree();
            FileEntry entry = tree.resolve(path).orElseThrow(() -> new ImageException("no such path in the image: " + path));
            Extraction.extract(tree, entry, Path.of(destination), force, ProgressListener.NONE);
        }
        return 0;
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.disklens.content.Extraction;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;

/**
 * {@code extract}: copy a file (or a directory tree) out of a guest file system or an ISO. It is written under a temporary name in
 * the destination's folder and renamed when complete; an existing destination is never overwritten unless
 * {@code --force} says so. A DEST that is a folder receives the file under its own name.
 */
final class ExtractCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final ContentSource.VolumeOption volume = new ContentSource.VolumeOption();

    boolean force;

    String file;

    String path;

    String destination;

    @Override
    public Syntax syntax() {
        return volume.declare(options.declare(new Syntax(DiskLensCommand.commandName("extract"),
                        "Copy one file or directory out of a guest file system or an ISO.")))
                .flag("--force", "Replace DEST if it exists.", () -> force = true)
                .parameter("IMAGE", options.image(value -> file = value))
                .parameter("PATH", value -> path = value)
                .parameter("DEST", value -> destination = value);
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try (ContentSource content = ContentSource.open(options, file, volume)) {
            try {
                FileSystem tree = content.fileSystem();
                FileEntry entry = tree.resolve(path).orElseThrow(() -> new ImageException("no such path in the image: " + path));
                Extraction.extract(tree, entry, Path.of(destination), force, ProgressListener.NONE);
            } finally {
                Warnings.print(err, content);
            }
        }
        return 0;
    }
}

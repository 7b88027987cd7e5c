package org.disklens.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;

/** {@code cat}: a guest file's bytes on standard output, as {@code virt-cat} prints them. */
final class CatCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final ContentSource.VolumeOption volume = new ContentSource.VolumeOption();

    String file;

    String path;

    @Override
    public Syntax syntax() {
        return volume.declare(options.declare(new Syntax(DiskLensCommand.commandName("cat"),
                        "Write a file of a guest file system or an ISO to standard output.")))
                .parameter("IMAGE", options.image(value -> file = value))
                .parameter("PATH", value -> path = value);
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) {
        throw new IllegalStateException("cat writes bytes: run it with the standard output stream");
    }

    @Override
    public int run(OutputStream bytes, PrintWriter out, PrintWriter err) throws IOException {
        try (ContentSource content = ContentSource.open(options, file, volume)) {
            try {
                FileSystem fileSystem = content.fileSystem();
                FileEntry entry = fileSystem.resolve(path)
                        .orElseThrow(() -> new ImageException("no such path in the image: " + path));
                if (entry.type() != FileEntry.Type.FILE) {
                    throw new ImageException("%s is a %s, not a file".formatted(path, switch (entry.type()) {
                        case DIRECTORY -> "directory";
                        case SYMLINK -> "symbolic link to " + entry.target().orElse("?");
                        default -> "device, FIFO or socket";
                    }));
                }
                fileSystem.copy(entry, Channels.newChannel(bytes), ProgressListener.NONE);
            } finally {
                Warnings.print(err, content);
            }
        }
        bytes.flush();
        return 0;
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageFormats;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;

/** Options every command that opens an image shares. */
final class ImageOptions {
    String format;
    boolean allowOutside;

    /** Adds {@code -f} and {@code --allow-outside} to {@code syntax}. */
    Syntax declare(Syntax syntax) {
        return syntax.option("-f", "FMT", "Format of the image: raw, qcow2, vmdk, iso (default: probed from the content).",
                        value -> format = value)
                .flag("--allow-outside", "Follow backing files, data files and extents outside the image's folder.",
                        () -> allowOutside = true);
    }

    ImageOpener opener() {
        return new ImageOpener(new OpenPolicy(allowOutside));
    }

    Optional<String> format() throws IOException {
        return checkedFormat(format);
    }

    DiskImage open(String file) throws IOException {
        return opener().open(Path.of(file), format());
    }

    ImageChain openChain(String file) throws IOException {
        return opener().openChain(Path.of(file), format(), true);
    }

    static Optional<String> checkedFormat(String name) throws IOException {
        if (name == null) {
            return Optional.empty();
        }
        if (ImageFormats.byName(name).isEmpty()) {
            throw new IOException("unknown format '%s' (known: %s)".formatted(name, String.join(", ", ImageFormats.names())));
        }
        return Optional.of(name);
    }
}

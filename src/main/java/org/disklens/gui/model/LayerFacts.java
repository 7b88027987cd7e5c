package org.disklens.gui.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.disklens.image.BackingReference;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;

/** What one layer of a chain is, read once in the background when the image opens. */
public record LayerFacts(Path path, String format, long virtualSize, long fileSize, long allocatedBytes,
                         OptionalInt clusterSize, Optional<BackingReference> backing) {

    static LayerFacts of(ImageChain.Layer layer) throws IOException {
        DiskImage image = layer.image();
        return new LayerFacts(layer.path(), image.format(), image.virtualSize(), image.source().size(),
                image.allocatedBytes(), image.clusterSize(), image.backing());
    }

    public String fileName() {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }
}

package org.disklens.image;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An image and its opened backing layers, top first. A link that could not be followed (missing, refused
 * by the {@link OpenPolicy}, a loop) ends the chain and is kept with its reason, so the GUI can show it.
 */
public final class ImageChain implements Closeable {

    /** One opened layer and the file it came from. */
    public record Layer(DiskImage image, Path path) {
    }

    /** The backing reference of layer {@code depth} that could not be opened, and why. */
    public record BrokenLink(int depth, String reference, String reason) {
    }

    private final List<Layer> layers;
    private final Optional<BrokenLink> brokenLink;

    public ImageChain(List<Layer> layers, Optional<BrokenLink> brokenLink) {
        this.layers = List.copyOf(layers);
        this.brokenLink = brokenLink;
    }

    public List<Layer> layers() {
        return layers;
    }

    public DiskImage top() {
        return layers.getFirst().image();
    }

    public DiskImage layer(int depth) {
        return layers.get(depth).image();
    }

    public int size() {
        return layers.size();
    }

    public long virtualSize() {
        return top().virtualSize();
    }

    public Optional<BrokenLink> brokenLink() {
        return brokenLink;
    }

    /**
     * Problems of links that still opened ("delta.vmdk: parentCID … is not … of its parent") and damage the layers
     * were read past so far ({@link DiskImage#warnings()}), top first.
     */
    public List<String> warnings() {
        List<String> warnings = new java.util.ArrayList<>();
        for (int depth = 0; depth < layers.size(); depth++) {
            Layer layer = layers.get(depth);
            if (depth + 1 < layers.size()) {
                layer.image().linkProblemWith(layers.get(depth + 1).image())
                        .ifPresent(problem -> warnings.add(layer.path().getFileName() + ": " + problem));
            }
            layer.image().warnings().forEach(problem -> warnings.add(layer.path().getFileName() + ": " + problem));
        }
        return warnings;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Layer layer : layers) {
            try {
                layer.image().close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

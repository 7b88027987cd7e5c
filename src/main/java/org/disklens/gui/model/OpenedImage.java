package org.disklens.gui.model;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.Snapshot;

/**
 * An image opened for a tab: its chain (kept open while the tab shows it) and the facts read from it once,
 * in the background, so that views never wait on the file.
 */
public final class OpenedImage implements Closeable {
    /** A persistent bitmap as qemu-img lists it. */
    public record Bitmap(String name, long granularity, String flags) {
    }

    /** The backing link that could not be followed: what was named, why not, and where it was looked for. */
    public record Broken(int depth, String reference, String reason, Optional<Path> lookedFor) {
    }

    private final ImageChain chain;
    private final List<LayerFacts> layers;
    private final Optional<Broken> broken;
    private final List<HeaderField> header;

    private OpenedImage(ImageChain chain, List<LayerFacts> layers, Optional<Broken> broken, List<HeaderField> header) {
        this.chain = chain;
        this.layers = layers;
        this.broken = broken;
        this.header = header;
    }

    /** Opens {@code path} and its backing chain (a broken link ends the chain, it does not fail the open). */
    static OpenedImage open(ImageOpener opener, Path path) throws IOException {
        ImageChain chain = opener.openChain(path, Optional.empty(), false);
        try {
            List<LayerFacts> layers = new ArrayList<>();
            for (ImageChain.Layer layer : chain.layers()) {
                layers.add(LayerFacts.of(layer));
            }
            Optional<Broken> broken = chain.brokenLink().map(link -> new Broken(link.depth(), link.reference(),
                    link.reason(), lookedFor(chain.layers().get(link.depth()).path(), link.reference())));
            return new OpenedImage(chain, List.copyOf(layers), broken, HeaderFields.of(chain.top()));
        } catch (IOException | RuntimeException failure) {
            chain.close();
            throw failure;
        }
    }

    /** Where a relative reference points, beside the image that names it; empty for what is not a path. */
    private static Optional<Path> lookedFor(Path image, String reference) {
        if (reference.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return Optional.empty();
        }
        try {
            Path folder = image.toAbsolutePath().getParent();
            return Optional.of(folder == null ? Path.of(reference) : folder.resolve(reference).normalize());
        } catch (InvalidPathException notAPath) {
            return Optional.empty();
        }
    }

    public ImageChain chain() {
        return chain;
    }

    public DiskImage top() {
        return chain.top();
    }

    public LayerFacts topFacts() {
        return layers.getFirst();
    }

    public List<LayerFacts> layers() {
        return layers;
    }

    public Optional<Broken> broken() {
        return broken;
    }

    public List<HeaderField> header() {
        return header;
    }

    public List<Snapshot> snapshots() {
        return chain.top().snapshots();
    }

    public Map<String, Object> formatSpecific() {
        return chain.top().formatSpecific();
    }

    public List<Bitmap> bitmaps() {
        if (!(formatSpecific().get("bitmaps") instanceof List<?> list)) {
            return List.of();
        }
        List<Bitmap> bitmaps = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> bitmap) {
                bitmaps.add(new Bitmap(String.valueOf(bitmap.get("name")),
                        bitmap.get("granularity") instanceof Number number ? number.longValue() : 0,
                        bitmap.get("flags") instanceof List<?> flags ? String.join(", ", flags.stream().map(String::valueOf).toList()) : ""));
            }
        }
        return bitmaps;
    }

    @Override
    public void close() throws IOException {
        chain.close();
    }
}

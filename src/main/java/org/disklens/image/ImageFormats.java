package org.disklens.image;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.disklens.io.BlockSource;

/**
 * The formats DiskLens reads, and probing among them by content (never by file name). The one list is
 * {@code META-INF/services/org.disklens.image.ImageFormat}, in probing order (a tie goes to the earlier format): a
 * service list rather than code here, because a format may live above this layer (ISO 9660 is a file system that is
 * also a container, in {@code content.iso}).
 */
public final class ImageFormats {
    private static final List<ImageFormat> ALL = ServiceLoader.load(ImageFormat.class, ImageFormats.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private ImageFormats() {
    }

    public static List<ImageFormat> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(ImageFormat::name).toList();
    }

    public static Optional<ImageFormat> byName(String name) {
        return ALL.stream().filter(format -> format.name().equals(name)).findFirst();
    }

    /** The format that claims {@code source} most surely; raw claims everything, weakly. */
    public static ImageFormat probe(BlockSource source) throws IOException {
        List<Scored> scores = new ArrayList<>();
        for (ImageFormat format : ALL) {
            scores.add(new Scored(format, format.probe(source)));
        }
        return scores.stream().max(Comparator.comparingInt(Scored::score)).orElseThrow().format();
    }

    private record Scored(ImageFormat format, int score) {
    }
}

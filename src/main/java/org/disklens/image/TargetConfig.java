package org.disklens.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A target format's options, checked and decoded: every option known, every value valid, none contradicting
 * another. Made before anything is opened or written, so a refusal costs nothing; it then sizes the target
 * ({@code measure}) and makes its writer.
 */
public interface TargetConfig {
    String format();

    /** Zero runs at least this long (and aligned to it) become holes; 0 writes everything. */
    long sparseSize();

    /** The size of the new image's disk for a source of {@code sourceSize} bytes. */
    long targetSize(long sourceSize);

    /** The files a target of {@code size} bytes at {@code target} occupies, the image (or its descriptor) first. */
    default List<Path> files(Path target, long size) {
        return List.of(target);
    }

    /** The new image's backing file as it will be written in it ({@code -B}), and its format ({@code -F}). */
    default Optional<BackingReference> backing() {
        return Optional.empty();
    }

    /** Whether the new image is encrypted (it then takes the passphrase of {@link WriteOptions#passphrase()}). */
    default boolean encrypted() {
        return false;
    }

    /** Creates the writer of a new image of {@code size} bytes at {@code target}. */
    ImageWriter create(TargetFiles files, Path target, long size) throws IOException;

    /** {@code qemu-img measure}'s sizes for converting {@code source} to this target. */
    SizeEstimate estimate(MeasureSource source) throws IOException;

    /** What {@link #estimate} needs to know of the source. */
    interface MeasureSource {
        /** The source disk's size in bytes. */
        long size();

        /**
         * Units of {@code unitSize} that the source's data touches, counted as qemu's measure counts them; 0 for a
         * new, empty disk ({@code --size}).
         */
        long touchedUnits(long unitSize) throws IOException;

        /** The source's persistent bitmaps; empty when its format has none. */
        Optional<List<DiskImage.Bitmap>> bitmaps();
    }

    static long roundUp(long value, long unit) {
        return Math.ceilDiv(value, unit) * unit;
    }
}

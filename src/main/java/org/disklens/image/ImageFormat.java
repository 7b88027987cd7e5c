package org.disklens.image;

import java.io.IOException;
import java.util.Optional;
import org.disklens.io.BlockSource;

/**
 * A container format driver: recognises its images by content, opens them, and (for the formats DiskLens writes)
 * makes new ones. Adding a format is one package with one of these, plus one line in {@link ImageFormats}' list.
 */
public interface ImageFormat {

    /** The name used by {@code -f}/{@code -O} and in {@code info}: {@code qcow2}, {@code vmdk}, {@code raw}, {@code iso}. */
    String name();

    /**
     * How sure this format is that {@code source} is one of its images, from 0 (not mine) to 100 (magic and
     * version match). Reads at most a few KiB from the start; never throws for foreign content.
     */
    int probe(BlockSource source) throws IOException;

    /**
     * Opens the image in {@code source}. The source stays owned by the returned image. Files the image
     * refers to (extents, data files) are opened through {@code context}, never directly.
     */
    DiskImage open(BlockSource source, OpenContext context) throws IOException;

    /** How this format writes new images; empty for the formats DiskLens only reads. */
    default Optional<FormatWriter> writer() {
        return Optional.empty();
    }

    /** Why a format that cannot be written is not offered, in a hint to the user (the ISO's: convert to raw). */
    default String notWritableHint() {
        return "";
    }
}

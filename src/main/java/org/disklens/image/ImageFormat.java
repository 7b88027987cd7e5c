package org.disklens.image;

import java.io.IOException;
import org.disklens.io.BlockSource;

/** A container format driver: recognises its images by content and opens them. */
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
}

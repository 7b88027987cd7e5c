package org.disklens.gui.model;

import org.disklens.image.Units;

/**
 * How large a conversion's result will be, as {@code measure} tells it: the file's length and the space it takes on
 * disk, which differ for a sparse file (its holes take none); {@code atMost} when the figure is an upper bound (a
 * compressed target: measure counts every cluster as if it did not compress).
 */
public record ConversionEstimate(long fileSize, long onDisk, boolean atMost) {

    /** "About 1.2 GiB", "20 GiB file, about 7 MiB on disk", "At most 81.4 MiB (compression usually takes less)". */
    public String describe() {
        if (atMost) {
            return "At most %s (compression usually takes much less)".formatted(Units.size(onDisk));
        }
        if (onDisk < fileSize) {
            return "%s file, about %s on disk (its holes take no space)".formatted(Units.size(fileSize),
                    Units.size(onDisk));
        }
        return "About " + Units.size(fileSize);
    }

    /** The figure to compare estimates by: the space on disk. */
    long size() {
        return onDisk;
    }
}

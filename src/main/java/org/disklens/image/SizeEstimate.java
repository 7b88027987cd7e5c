package org.disklens.image;

import java.util.OptionalLong;

/**
 * What {@code qemu-img measure} answers: the file size a conversion needs ({@code required}) and the size if every
 * cluster were allocated ({@code fully-allocated}); for qcow2 targets of a qcow2 source, also the space its
 * persistent bitmaps would take ({@code bitmaps}, which qemu-img shows there).
 */
public record SizeEstimate(long required, long fullyAllocated, OptionalLong bitmaps) {
}

package org.disklens.image;

/**
 * The image is sound but uses something DiskLens does not read (an unknown incompatible feature bit, encrypted data).
 * {@link SequentialOnly} is the one kind a caller may tell apart: what a conversion could still read.
 */
public sealed class UnsupportedFeature extends ImageException permits SequentialOnly {
    public UnsupportedFeature(String message) {
        super(message);
    }

    public UnsupportedFeature(String format, String structure, long hostOffset, String problem) {
        super(describe(format, structure, hostOffset, problem));
    }
}

package org.disklens.image;

/** The image is sound but uses something DiskLens does not read (an unknown incompatible feature bit, encrypted data). */
public final class UnsupportedFeature extends ImageException {
    public UnsupportedFeature(String message) {
        super(message);
    }

    public UnsupportedFeature(String format, String structure, long hostOffset, String problem) {
        super(describe(format, structure, hostOffset, problem));
    }
}

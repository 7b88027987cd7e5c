package org.disklens.image;

/** The image's metadata contradicts itself or the file: a broken or hostile image. */
public final class CorruptImage extends ImageException {
    public CorruptImage(String message) {
        super(message);
    }

    public CorruptImage(String format, String structure, long hostOffset, String problem) {
        super(describe(format, structure, hostOffset, problem));
    }
}

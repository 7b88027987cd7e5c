package org.disklens.image;

/**
 * An image that can be read only from start to end, as a conversion reads it (its source is opened with
 * {@code access=sequential}), and so is refused to every other reader: the gzip-compressed disk of an OVA or of a loose
 * OVF ({@code ovf:compression="gzip"}). The message names the conversion that reads it; a caller that can start one
 * (the window) may offer it instead.
 */
public final class SequentialOnly extends UnsupportedFeature {
    public SequentialOnly(String message) {
        super(message);
    }
}

package org.disklens.image;

/** A backing file, data file or extent that the open policy will not follow. */
public final class RefusedReference extends ImageException {
    public RefusedReference(String message) {
        super(message);
    }

    public RefusedReference(String format, String structure, long hostOffset, String problem) {
        super(describe(format, structure, hostOffset, problem));
    }
}

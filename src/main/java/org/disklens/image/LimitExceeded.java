package org.disklens.image;

/** The image asks for more than DiskLens allows (qemu's own limits): a table too large, a chain too long. */
public final class LimitExceeded extends ImageException {
    public LimitExceeded(String message) {
        super(message);
    }

    public LimitExceeded(String format, String structure, long hostOffset, String problem) {
        super(describe(format, structure, hostOffset, problem));
    }
}

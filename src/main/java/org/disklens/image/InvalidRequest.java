package org.disklens.image;

import java.io.IOException;

/**
 * A conversion or measurement that cannot be done as asked: an unknown or contradictory option, a target that
 * exists, a source that cannot be read. Thrown before anything is written; the message is one line in
 * qemu-img's words where qemu-img has words for it.
 */
public final class InvalidRequest extends IOException {
    public InvalidRequest(String message) {
        super(message);
    }
}

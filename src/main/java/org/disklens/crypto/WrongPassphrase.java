package org.disklens.crypto;

import org.disklens.image.ImageException;

/** No key slot of an encrypted volume opens with the passphrase given. The message is always the same words. */
public final class WrongPassphrase extends ImageException {
    /** The exact words every wrong passphrase is reported with. */
    public static final String MESSAGE = "no key slot opens with this passphrase";

    public WrongPassphrase() {
        super(MESSAGE);
    }
}

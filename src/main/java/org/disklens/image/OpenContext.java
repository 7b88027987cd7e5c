package org.disklens.image;

import java.io.IOException;
import java.util.Optional;
import org.disklens.crypto.Passphrases;
import org.disklens.io.BlockSource;

/**
 * How a driver opens the other files its image refers to (a VMDK extent, a qcow2 external data file):
 * through the {@link OpenPolicy}, relative to the image's own folder. Backing files are not opened by
 * drivers; {@link ImageOpener} follows them.
 */
public interface OpenContext {

    /**
     * Opens the file that {@code reference} (as written in the image) names, read-only.
     *
     * @param purpose what the file is, for messages: {@code "data file"}, {@code "extent"}
     * @throws RefusedReference if the policy does not allow it
     */
    BlockSource openReference(String reference, String purpose) throws IOException;

    /**
     * A choice the user made about how to open the image, by name ({@code disk}: which disk of an OVA, 1-based);
     * empty when not given.
     */
    default Optional<String> option(String name) {
        return Optional.empty();
    }

    /**
     * What unlocks the image's own encryption (an encrypted qcow2, a {@code luks} file): the command's
     * {@code --passphrase-file} or prompt. Drivers ask for the key only when encrypted data is read.
     */
    default Passphrases passphrases() {
        return Passphrases.NONE;
    }

    /**
     * Where a driver reports long work it must do while opening (checking a gzip-compressed OVA disk from end to end
     * before a conversion reads it), and how the user cancels it; {@link ProgressListener#NONE} unless the caller
     * shows progress.
     */
    default ProgressListener progress() {
        return ProgressListener.NONE;
    }

    /** For images held in memory (tests, fuzzing): every reference is refused. */
    static OpenContext refuseAll() {
        return (reference, purpose) -> {
            throw new RefusedReference("%s '%s' cannot be opened: the image is not read from a file"
                    .formatted(purpose, reference));
        };
    }
}

package org.disklens.image;

import java.util.Map;
import java.util.Optional;
import org.disklens.crypto.Passphrase;

/**
 * What qemu-img's {@code convert}/{@code measure} ask of a target format: its {@code -o} options, {@code -c},
 * {@code -S} (the zero-run size below which zeroes are written; 0 writes everything) and {@code -B}/{@code -F}; and the
 * passphrase of an encrypted output ({@code --target-passphrase-file}), owned by the caller.
 */
public record WriteOptions(String format, Map<String, String> options, boolean compress, long sparseSize,
                           Optional<String> backingFile, Optional<String> backingFormat, Optional<Passphrase> passphrase) {

    public WriteOptions(String format, Map<String, String> options, boolean compress, long sparseSize,
                        Optional<String> backingFile, Optional<String> backingFormat) {
        this(format, options, compress, sparseSize, backingFile, backingFormat, Optional.empty());
    }

    /** Formats without backing files refuse {@code -B}, in qemu-img's words. */
    public void refuseBacking() throws InvalidRequest {
        if (backingFile.isPresent() || options.containsKey("backing_file")) {
            throw new InvalidRequest("Backing file not supported for file format '%s'".formatted(format));
        }
        if (backingFormat.isPresent() || options.containsKey("backing_fmt")) {
            throw new InvalidRequest("Backing format cannot be used without backing file");
        }
    }
}

package org.disklens.convert;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.disklens.crypto.Passphrases;

/**
 * What to read: an image file (its whole backing chain is followed), its format if known (else probed from the
 * content), optionally one of its internal snapshots (qemu-img's {@code -l}), whether backing files may lie
 * outside the image's folder ({@code --allow-outside}), and whether space the guest's file systems mark free reads
 * as zeroes ({@code --sparsify}, as {@code virt-sparsify} does: the target leaves it out).
 *
 * @param snapshot    an internal snapshot as {@code -l} spells it: an id or a name, or
 *                    {@code snapshot.id=ID[,snapshot.name=NAME]}
 * @param passphrases what unlocks the LUKS volumes inside the guest, whose file systems' free space
 *                    {@code --sparsify} then leaves out too (the caller closes them)
 */
public record SourceSpec(Path path, Optional<String> format, Optional<String> snapshot, boolean allowOutside,
                         boolean sparsify, Map<String, String> openOptions, Passphrases passphrases) {
    public SourceSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(passphrases, "passphrases");
        openOptions = Map.copyOf(openOptions);
    }

    public SourceSpec(Path path, Optional<String> format, Optional<String> snapshot, boolean allowOutside,
                      boolean sparsify, Map<String, String> openOptions) {
        this(path, format, snapshot, allowOutside, sparsify, openOptions, Passphrases.NONE);
    }

    public SourceSpec(Path path, Optional<String> format, Optional<String> snapshot, boolean allowOutside,
                      boolean sparsify) {
        this(path, format, snapshot, allowOutside, sparsify, Map.of());
    }

    public SourceSpec(Path path, Optional<String> format, Optional<String> snapshot, boolean allowOutside) {
        this(path, format, snapshot, allowOutside, false);
    }

    /** The image at {@code path}, format probed, no snapshot, references inside its folder only. */
    public SourceSpec(Path path) {
        this(path, Optional.empty(), Optional.empty(), false, false);
    }

    public SourceSpec withFormat(String name) {
        return new SourceSpec(path, Optional.ofNullable(name), snapshot, allowOutside, sparsify, openOptions, passphrases);
    }

    public SourceSpec withSnapshot(String idOrName) {
        return new SourceSpec(path, format, Optional.ofNullable(idOrName), allowOutside, sparsify, openOptions,
                passphrases);
    }

    public SourceSpec withAllowOutside(boolean allow) {
        return new SourceSpec(path, format, snapshot, allow, sparsify, openOptions, passphrases);
    }

    public SourceSpec withSparsify(boolean on) {
        return new SourceSpec(path, format, snapshot, allowOutside, on, openOptions, passphrases);
    }

    /** The user's choices handed to the format driver ({@code disk=2} for an OVA): see {@code OpenContext.option}. */
    public SourceSpec withOpenOptions(Map<String, String> options) {
        return new SourceSpec(path, format, snapshot, allowOutside, sparsify, options, passphrases);
    }

    /** The passphrases of the LUKS volumes inside the guest ({@code --passphrase-file}). */
    public SourceSpec withPassphrases(Passphrases unlocking) {
        return new SourceSpec(path, format, snapshot, allowOutside, sparsify, openOptions, unlocking);
    }
}

package org.disklens.convert;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to read: an image file (its whole backing chain is followed), its format if known (else probed from the
 * content), optionally one of its internal snapshots (qemu-img's {@code -l}), and whether backing files may lie
 * outside the image's folder ({@code --allow-outside}).
 *
 * @param snapshot an internal snapshot as {@code -l} spells it: an id or a name, or
 *                 {@code snapshot.id=ID[,snapshot.name=NAME]}
 */
public record SourceSpec(Path path, Optional<String> format, Optional<String> snapshot, boolean allowOutside) {
    public SourceSpec {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The image at {@code path}, format probed, no snapshot, references inside its folder only. */
    public SourceSpec(Path path) {
        this(path, Optional.empty(), Optional.empty(), false);
    }

    public SourceSpec withFormat(String name) {
        return new SourceSpec(path, Optional.ofNullable(name), snapshot, allowOutside);
    }

    public SourceSpec withSnapshot(String idOrName) {
        return new SourceSpec(path, format, Optional.ofNullable(idOrName), allowOutside);
    }

    public SourceSpec withAllowOutside(boolean allow) {
        return new SourceSpec(path, format, snapshot, allow);
    }
}

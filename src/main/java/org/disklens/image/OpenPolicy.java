package org.disklens.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one gate for every file an image makes DiskLens open implicitly: backing files, external data files,
 * VMDK extents. By default a reference must resolve (symlinks followed) to a regular file inside the
 * referring image's own folder or below it; {@code allowOutside} lifts only that rule. Pseudo-protocols
 * ({@code json:}, {@code nbd:}, URLs) are never followed: DiskLens reads files, nothing else.
 */
public record OpenPolicy(boolean allowOutside) {
    public static final OpenPolicy DEFAULT = new OpenPolicy(false);

    /** qemu's limit for a backing file name (1023 bytes); references longer than that are hostile. */
    public static final int MAX_REFERENCE_LENGTH = 4096;

    private static final Pattern PROTOCOL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    /**
     * Resolves {@code reference}, as written in the image that lives in {@code imageFolder}, to the real
     * path of the file to open, or refuses it.
     */
    public Path resolve(Path imageFolder, String reference, String purpose) throws IOException {
        if (reference.isEmpty() || reference.indexOf('\0') >= 0 || reference.length() > MAX_REFERENCE_LENGTH) {
            throw refused(purpose, reference, "is not a valid file name");
        }
        if (isPseudoPath(reference)) {
            throw refused(purpose, reference, "is a protocol or pseudo-path, not a file; DiskLens opens only files");
        }
        Path folder = imageFolder.toRealPath();
        Path target;
        try {
            target = folder.resolve(reference).normalize();
        } catch (InvalidPathException invalid) {
            throw refused(purpose, reference, "is not a valid file name");
        }
        // Refuse an escape before looking at the file: whether it exists outside is none of the image's business.
        if (!allowOutside && !target.startsWith(folder)) {
            throw refused(purpose, reference,
                    "resolves to %s, outside the image's folder %s (use --allow-outside to follow it)".formatted(target, folder));
        }
        if (!Files.exists(target)) {
            throw new RefusedReference("%s '%s' not found (looked for %s)".formatted(purpose, reference, target));
        }
        Path real = target.toRealPath();
        if (!allowOutside && !real.startsWith(folder)) {
            throw refused(purpose, reference,
                    "resolves to %s, outside the image's folder %s (use --allow-outside to follow it)"
                            .formatted(real, folder));
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(purpose, reference, "is not a regular file");
        }
        return real;
    }

    /** {@code json:…}, {@code nbd:…}, URLs: references that name a protocol rather than a file. */
    public static boolean isPseudoPath(String reference) {
        return PROTOCOL.matcher(reference).matches();
    }

    private static RefusedReference refused(String purpose, String reference, String why) {
        String shown = reference.length() > 200 ? reference.substring(0, 200) + "…" : reference;
        return new RefusedReference("%s '%s' %s".formatted(purpose, shown.replace('\n', ' '), why));
    }
}

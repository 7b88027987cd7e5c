package org.disklens.gui.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.disklens.image.ProgressListener;

/**
 * What the conversion queue needs from the engine ({@code org.disklens.convert}): presets, the size
 * estimate ({@code measure}) and the conversion itself. The engine writes under a temporary name and renames
 * only on success, so a cancelled or failed conversion leaves no file behind.
 */
public interface ConversionService {
    /** One conversion as the user chose it: {@code shrink} drops the space the guest has freed. */
    record Choice(ConversionPreset preset, boolean shrink) {
    }

    /** The choices offered, first the default. Empty when the engine is not available. */
    List<ConversionPreset> presets();

    /** How large the target will be ({@code measure}'s figures). */
    ConversionEstimate estimate(Path source, Choice choice, ProgressListener progress) throws IOException;

    /**
     * Converts {@code source} to {@code target} (replacing a file there only when {@code replace}); reports bytes done
     * of bytes to do; stops when cancelled. Returns what it has to tell: with shrinking, the volumes it left whole
     * and why.
     */
    List<String> convert(Path source, Choice choice, Path target, boolean replace, ProgressListener progress)
            throws IOException;

    /** The service used where no conversion engine is present: offers nothing. */
    static ConversionService unavailable() {
        return new ConversionService() {
            @Override
            public List<ConversionPreset> presets() {
                return List.of();
            }

            @Override
            public ConversionEstimate estimate(Path source, Choice choice, ProgressListener progress) throws IOException {
                throw new IOException("conversion is not available in this build");
            }

            @Override
            public List<String> convert(Path source, Choice choice, Path target, boolean replace,
                                        ProgressListener progress) throws IOException {
                throw new IOException("conversion is not available in this build");
            }
        };
    }
}

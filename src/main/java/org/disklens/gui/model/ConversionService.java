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
    /** The choices offered, first the default. Empty when the engine is not available. */
    List<ConversionPreset> presets();

    /** Bytes the target will need (qemu-img measure's {@code required}). */
    long estimate(Path source, ConversionPreset preset, ProgressListener progress) throws IOException;

    /** Converts {@code source} to {@code target}; reports bytes done of bytes to do; stops when cancelled. */
    void convert(Path source, ConversionPreset preset, Path target, ProgressListener progress) throws IOException;

    /** The service used where no conversion engine is present: offers nothing. */
    static ConversionService unavailable() {
        return new ConversionService() {
            @Override
            public List<ConversionPreset> presets() {
                return List.of();
            }

            @Override
            public long estimate(Path source, ConversionPreset preset, ProgressListener progress) throws IOException {
                throw new IOException("conversion is not available in this build");
            }

            @Override
            public void convert(Path source, ConversionPreset preset, Path target, ProgressListener progress)
                    throws IOException {
                throw new IOException("conversion is not available in this build");
            }
        };
    }
}

package org.disklens.gui.model;

import java.util.Map;

/**
 * A named set of conversion choices the user picks from ("qcow2, compressed"): target format, whether to
 * compress, the engine's {@code -o} options, and the file extension to suggest.
 */
public record ConversionPreset(String name, String format, boolean compressed, Map<String, String> options,
                               String extension, String description) {
    public ConversionPreset {
        options = Map.copyOf(options);
    }

    @Override
    public String toString() {
        return name;
    }
}

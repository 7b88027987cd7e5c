package org.disklens.image;

import java.util.List;

/**
 * How a format makes new images: its options checked into a {@link TargetConfig} (which sizes the target and makes
 * its writer), and their help for {@code -o help}.
 */
public record FormatWriter(Configurer configurer, List<OptionHelp> optionsHelp) {

    /** Checks and decodes the options; refuses unknown, invalid and contradictory ones in qemu-img's words. */
    @FunctionalInterface
    public interface Configurer {
        TargetConfig configure(WriteOptions options) throws InvalidRequest;
    }

    /** {@code cluster_size=<size>} and what it does. */
    public record OptionHelp(String option, String description) {
    }

    public TargetConfig configure(WriteOptions options) throws InvalidRequest {
        return configurer.configure(options);
    }
}

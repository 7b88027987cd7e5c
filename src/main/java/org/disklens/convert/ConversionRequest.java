package org.disklens.convert;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.disklens.image.InvalidRequest;
import org.disklens.image.TargetConfig;

/**
 * One conversion, as the CLI's {@code convert} and the GUI both describe it: what to read, what to make, where to
 * put it, and whether an existing file there may be replaced ({@code --force}).
 */
public record ConversionRequest(SourceSpec source, TargetSpec target, Path targetPath, boolean force) {
    public ConversionRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetPath, "targetPath");
    }

    /**
     * Checks the options and the target location without opening the source or writing anything; throws
     * {@link InvalidRequest} with the message to show. {@link Converter#run} checks again, with the source open.
     */
    public TargetConfig validate() throws InvalidRequest {
        TargetConfig config = target.config();
        OutputFiles.checkWritable(List.of(targetPath), force);
        return config;
    }
}

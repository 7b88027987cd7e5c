package org.disklens.convert;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to make, in qemu-img's terms: the format ({@code -O}), its creation options ({@code -o key=value,...}),
 * compression ({@code -c}), the zero-run size below which zeroes are written rather than left as holes
 * ({@code -S}, default 4 KiB, 0 = write everything), and a backing file for the new image ({@code -B}/{@code -F}:
 * only what differs from it is written). Checked by {@link TargetConfig#of(TargetSpec)}.
 */
public record TargetSpec(String format, Map<String, String> options, boolean compress, long sparseSize,
                         Optional<String> backingFile, Optional<String> backingFormat) {
    /** qemu-img's default for {@code -S}. */
    public static final long DEFAULT_SPARSE_SIZE = 4096;

    public TargetSpec {
        Objects.requireNonNull(format, "format");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        Objects.requireNonNull(backingFile, "backingFile");
        Objects.requireNonNull(backingFormat, "backingFormat");
    }

    /** {@code format} with no options: uncompressed, holes for zero runs of 4 KiB, no backing file. */
    public static TargetSpec of(String format) {
        return new TargetSpec(format, Map.of(), false, DEFAULT_SPARSE_SIZE, Optional.empty(), Optional.empty());
    }

    /** The same target with {@code key=value} added (replacing an earlier value of that key). */
    public TargetSpec withOption(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(options);
        more.put(key, value);
        return new TargetSpec(format, more, compress, sparseSize, backingFile, backingFormat);
    }

    /** The same target with every option of a qemu-img {@code -o} string added ({@code a=1,b=2}; {@code ,,} is a comma). */
    public TargetSpec withOptions(String qemuOptions) throws InvalidRequest {
        TargetSpec result = this;
        for (Map.Entry<String, String> option : OptionString.parse(qemuOptions).entrySet()) {
            result = result.withOption(option.getKey(), option.getValue());
        }
        return result;
    }

    public TargetSpec withCompress(boolean on) {
        return new TargetSpec(format, options, on, sparseSize, backingFile, backingFormat);
    }

    public TargetSpec withSparseSize(long bytes) {
        return new TargetSpec(format, options, compress, bytes, backingFile, backingFormat);
    }

    public TargetSpec withBacking(String file, String fileFormat) {
        return new TargetSpec(format, options, compress, sparseSize, Optional.ofNullable(file), Optional.ofNullable(fileFormat));
    }
}

package org.disklens.convert;

import java.util.Locale;

/**
 * A {@link TargetSpec} checked and decoded: every option known, every value valid, no two contradicting each
 * other. Built before anything is opened or written, so a refusal costs nothing. Messages follow qemu-img's.
 */
public sealed interface TargetConfig permits RawConfig, Qcow2Config, VmdkConfig {
    /** Largest {@code -S} qemu-img accepts. */
    long MAX_SPARSE_SIZE = 16L << 20;

    String format();

    /** Zero runs at least this long (and aligned to it) become holes; 0 writes everything. */
    long sparseSize();

    /** The size of the new image's disk for a source of {@code sourceSize} bytes. */
    long targetSize(long sourceSize);

    static TargetConfig of(TargetSpec spec) throws InvalidRequest {
        checkSparseSize(spec.sparseSize());
        return switch (spec.format().toLowerCase(Locale.ROOT)) {
            case "raw" -> RawConfig.parse(spec);
            case "qcow2" -> Qcow2Config.parse(spec);
            case "vmdk" -> VmdkConfig.parse(spec);
            case "iso" -> throw new InvalidRequest("Format 'iso' can be read but not written; convert to raw "
                    + "to get the same bytes");
            default -> throw new InvalidRequest("Unknown file format '%s' (can write: raw, qcow2, vmdk)".formatted(spec.format()));
        };
    }

    private static void checkSparseSize(long bytes) throws InvalidRequest {
        if (bytes < 0 || bytes % 512 != 0 || bytes > MAX_SPARSE_SIZE) {
            throw new InvalidRequest(("Invalid buffer size for sparse output specified. Valid sizes are multiples of "
                    + "512 up to %d. Select 0 to disable sparse detection (fully allocates output).").formatted(MAX_SPARSE_SIZE));
        }
    }

    /** Formats without backing files refuse {@code -B}, in qemu-img's words. */
    static void refuseBacking(TargetSpec spec) throws InvalidRequest {
        if (spec.backingFile().isPresent() || spec.options().containsKey("backing_file")) {
            throw new InvalidRequest("Backing file not supported for file format '%s'".formatted(spec.format()));
        }
        if (spec.backingFormat().isPresent() || spec.options().containsKey("backing_fmt")) {
            throw new InvalidRequest("Backing format cannot be used without backing file");
        }
    }

    static long roundUp(long value, long unit) {
        return Math.ceilDiv(value, unit) * unit;
    }
}

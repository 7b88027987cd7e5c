package org.disklens.convert;

/**
 * A raw target: the guest disk byte for byte. Sparse by default: runs of zeroes (and unallocated source runs)
 * become holes. {@code preallocation=falloc} reserves every block, {@code full} writes every byte.
 */
public record RawConfig(Preallocation preallocation, long sparseSize) implements TargetConfig {

    static RawConfig parse(TargetSpec spec) throws InvalidRequest {
        TargetConfig.refuseBacking(spec);
        if (spec.compress()) {
            throw new InvalidRequest("Compression not supported for this file format");
        }
        OptionValues options = new OptionValues("raw", spec.options());
        Preallocation preallocation = options.choice("preallocation",
                        Preallocation.names(Preallocation.OFF, Preallocation.FALLOC, Preallocation.FULL))
                .map(Preallocation::named).orElse(Preallocation.OFF);
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();
        return new RawConfig(preallocation, spec.sparseSize());
    }

    @Override
    public String format() {
        return "raw";
    }

    /** Raw keeps the source's size exactly (qemu-img rounds up to 512 bytes; the extra bytes would read as zero). */
    @Override
    public long targetSize(long sourceSize) {
        return sourceSize;
    }
}

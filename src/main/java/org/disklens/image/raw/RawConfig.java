package org.disklens.image.raw;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.Preallocation;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A raw target: the guest disk byte for byte. Sparse by default: runs of zeroes (and unallocated source runs)
 * become holes. {@code preallocation=falloc} reserves every block, {@code full} writes every byte.
 */
public record RawConfig(Preallocation preallocation, long sparseSize) implements TargetConfig {

    static RawConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
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

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        return new RawWriter(this, files, target, size);
    }

    /** qemu's {@code raw_measure}: the disk's size in whole sectors, whatever the source holds. */
    @Override
    public SizeEstimate estimate(MeasureSource source) {
        long sectors = TargetConfig.roundUp(source.size(), 512);
        return new SizeEstimate(sectors, sectors, OptionalLong.empty());
    }
}

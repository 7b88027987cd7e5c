package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A VHDX target: qemu-img's vhdx creation options, checked and rounded as qemu-img rounds them.
 *
 * @param blockSize      0 for qemu-img's default for the disk's size, else a power of two from 1 MiB to 256 MiB
 * @param logLength      the (empty) log's size, a MiB multiple under 4 GiB; 1 MiB by default
 * @param blockStateZero dynamic disks: blocks without data are ZERO (qemu's default) rather than NOT_PRESENT
 */
public record VhdxConfig(boolean fixed, long blockSize, long logLength, boolean blockStateZero, long sparseSize)
        implements TargetConfig {
    static final long MAX_SIZE = 64L << 40;
    private static final long MIB = 1 << 20;

    static VhdxConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
        OptionValues options = new OptionValues("vhdx", spec.options());
        boolean fixed = options.choice("subformat", java.util.List.of("dynamic", "fixed")).orElse("dynamic").equals("fixed");
        long blockSize = options.size("block_size").orElse(0L);
        long logLength = options.size("log_size").orElse(MIB);
        boolean blockStateZero = options.bool("block_state_zero").orElse(true);
        String preallocation = options.choice("preallocation", java.util.List.of("off", "falloc", "full")).orElse("off");
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();
        if (!preallocation.equals("off")) {
            throw new InvalidRequest("vhdx option 'preallocation=%s' is not supported: qemu-img passes it to the empty "
                    .formatted(preallocation) + "file it starts from, where it reserves nothing (use subformat=fixed)");
        }
        if (spec.compress()) {
            throw new InvalidRequest("Compression not supported for this file format");
        }
        blockSize = TargetConfig.roundUp(blockSize, MIB);
        if (blockSize > VhdxMetadata.MAX_BLOCK_SIZE) {
            blockSize = VhdxMetadata.MAX_BLOCK_SIZE;
        }
        if (blockSize != 0 && Long.bitCount(blockSize) != 1) {
            throw new InvalidRequest("Block size must be a power of two");
        }
        logLength = TargetConfig.roundUp(logLength, MIB);
        if (logLength > 0xffffffffL) {
            throw new InvalidRequest("Log size must be smaller than 4 GB");
        }
        if (logLength < MIB) {
            throw new InvalidRequest("Log size must be a multiple of 1 MB");
        }
        return new VhdxConfig(fixed, blockSize, logLength, blockStateZero, spec.sparseSize());
    }

    @Override
    public String format() {
        return "vhdx";
    }

    /** qemu-img rounds the size up to whole 512-byte sectors. */
    @Override
    public long targetSize(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, 512);
    }

    VhdxLayout layout(long size) {
        return VhdxLayout.of(size, blockSize == 0 ? VhdxLayout.defaultBlockSize(size) : blockSize, logLength);
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        if (size > MAX_SIZE) {
            throw new InvalidRequest("Image size too large; max of 64TB");
        }
        return new VhdxWriter(this, layout(size), files.create(target));
    }

    /**
     * qemu-img cannot measure VHDX; DiskLens answers the layout it writes: the structures up to the first block, plus
     * a whole block for every block the data touches (dynamic) or for every block (fixed, and fully allocated).
     */
    @Override
    public SizeEstimate estimate(MeasureSource source) throws IOException {
        long size = targetSize(source.size());
        if (size > MAX_SIZE) {
            throw new InvalidRequest("Image size too large; max of 64TB");
        }
        VhdxLayout layout = layout(size);
        long all = layout.fileSize(layout.blocks());
        long required = fixed ? all : layout.fileSize(source.touchedUnits(layout.blockSize()));
        return new SizeEstimate(required, all, OptionalLong.empty());
    }
}

package org.disklens.image.vhd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.disklens.image.ImageWriter;
import org.disklens.image.InvalidRequest;
import org.disklens.image.OptionValues;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteOptions;

/**
 * A VHD target: qemu-img's vpc creation options, checked. {@code subformat=dynamic} (the default) or {@code fixed};
 * {@code force_size} keeps the size exact (rounded up to a sector) with the largest CHS geometry and the creator
 * {@code "qem2"}, which qemu, Hyper-V and Azure size by the footer's current size; without it the size is rounded up
 * to the first CHS geometry that holds it and the creator is {@code "qemu"}, which qemu and Virtual PC size by that
 * geometry (past 65535 × 16 × 255 sectors, about 127 GiB, the geometry is the largest and the size stays exact).
 */
public record VhdConfig(boolean fixed, boolean forceSize, long sparseSize) implements TargetConfig {
    static final long BLOCK_SIZE = 2L << 20;
    static final long BITMAP_BYTES = 512;

    static VhdConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
        if (spec.compress()) {
            throw new InvalidRequest("Compression not supported for this file format");
        }
        OptionValues options = new OptionValues("vpc", spec.options());
        boolean fixed = options.choice("subformat", List.of("dynamic", "fixed")).map("fixed"::equals).orElse(false);
        boolean forceSize = options.bool("force_size").orElse(false);
        options.refuse("preallocation", "qemu passes it to the file, not to the vpc format; DiskLens does not");
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();
        return new VhdConfig(fixed, forceSize, spec.sparseSize());
    }

    @Override
    public String format() {
        return "vpc";
    }

    /** qemu's {@code vpc_co_create_opts}: the size rounded up to a sector, then to a CHS geometry unless force_size. */
    @Override
    public long targetSize(long sourceSize) {
        long sectorRounded = TargetConfig.roundUp(sourceSize, 512);
        return Geometry.forNewDisk(sectorRounded, forceSize).bytes();
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        Geometry.Sizing sizing = sizing(size);
        return fixed ? new VhdFixedWriter(this, files.create(target), sizing)
                : new VhdDynamicWriter(this, files.create(target), sizing);
    }

    /** The new disk's geometry, refused as qemu refuses it: past 2040 GiB, or a size the geometry cannot say. */
    Geometry.Sizing sizing(long size) throws InvalidRequest {
        Geometry.Sizing sizing = Geometry.forNewDisk(size, forceSize);
        if (sizing.sectors() > VhdFooter.MAX_SECTORS) {
            throw new InvalidRequest("Disk size is too large, max size is 2040 GiB");
        }
        if (sizing.bytes() != size) {
            throw new InvalidRequest("The requested image size cannot be represented in CHS geometry (try size=%d or "
                    .formatted(sizing.bytes()) + "force_size=on)");
        }
        return sizing;
    }

    /** Zero runs are detected in units of the {@code -S} size (a power of two from 512 bytes to 1 MiB). */
    int unitSize() {
        if (sparseSize == 0) {
            return 1 << 20;
        }
        int unit = Integer.highestOneBit((int) Math.min(1 << 20, Math.max(512, sparseSize)) * 2 - 1);
        return Math.min(unit, 1 << 20);
    }

    /**
     * qemu-img cannot measure vpc; DiskLens answers the layout it writes, which is qemu's: a fixed disk is its size and
     * the footer; a dynamic one the footer copy, the dynamic header, the BAT (padded to a sector), a 512-byte bitmap
     * and 2 MiB of data for every block the data touches (every block of the disk when fully allocated), and the footer.
     */
    @Override
    public SizeEstimate estimate(MeasureSource source) throws IOException {
        long size = targetSize(source.size());
        Geometry.Sizing sizing = sizing(size);
        if (fixed) {
            return new SizeEstimate(size + VhdFooter.SIZE, size + VhdFooter.SIZE, OptionalLong.empty());
        }
        long entries = Math.ceilDiv(sizing.sectors() * 512, BLOCK_SIZE);
        long overhead = VhdDynamicWriter.TABLE_OFFSET + TargetConfig.roundUp(entries * 4, 512) + VhdFooter.SIZE;
        long touched = source.touchedUnits(BLOCK_SIZE);
        return new SizeEstimate(overhead + touched * (BITMAP_BYTES + BLOCK_SIZE),
                overhead + entries * (BITMAP_BYTES + BLOCK_SIZE), OptionalLong.empty());
    }
}

package org.disklens.image.vdi;

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
 * A VDI target: qemu-img's vdi creation options, checked. {@code static=on} makes a static (fixed) image, every
 * block in place; otherwise dynamic, blocks appended as the data needs them. {@code preallocation} is the file
 * layer's option qemu-img also takes (and leaves without effect on a VDI): DiskLens honours it, {@code falloc}
 * reserving and {@code full} writing every block of the file, a dynamic image then having every block allocated.
 */
public record VdiConfig(boolean isStatic, Preallocation preallocation, long sparseSize) implements TargetConfig {
    static final long BLOCK_SIZE = VdiHeader.DEFAULT_BLOCK_SIZE;
    /** qemu's {@code VDI_DISK_SIZE_MAX}: as many 1 MiB blocks as a 2 GiB block map holds. */
    static final long MAX_DISK_SIZE = VdiHeader.MAX_BLOCKS * BLOCK_SIZE;

    static VdiConfig parse(WriteOptions spec) throws InvalidRequest {
        spec.refuseBacking();
        if (spec.compress()) {
            throw new InvalidRequest("Compression not supported for this file format");
        }
        OptionValues options = new OptionValues("vdi", spec.options());
        boolean isStatic = options.bool("static").orElse(false);
        Preallocation preallocation = options.choice("preallocation",
                        Preallocation.names(Preallocation.OFF, Preallocation.FALLOC, Preallocation.FULL))
                .map(Preallocation::named).orElse(Preallocation.OFF);
        options.refuse("extent_size_hint", "DiskLens does not set file system hints");
        options.refuse("nocow", "DiskLens does not set file attributes");
        options.requireAllUsed();
        return new VdiConfig(isStatic, preallocation, spec.sparseSize());
    }

    @Override
    public String format() {
        return "vdi";
    }

    /** Every block has its place from the start (static, or preallocated). */
    boolean allBlocksInPlace() {
        return isStatic || preallocation != Preallocation.OFF;
    }

    /** qemu-img rounds a VDI's size up to whole sectors. */
    @Override
    public long targetSize(long sourceSize) {
        return TargetConfig.roundUp(sourceSize, 512);
    }

    @Override
    public ImageWriter create(TargetFiles files, Path target, long size) throws IOException {
        Layout layout = Layout.of(size);
        VdiHeader header = VdiHeader.ofNewImage(isStatic ? VdiHeader.TYPE_STATIC : VdiHeader.TYPE_DYNAMIC, size,
                layout.blocks(), 0, layout.blocksOffset(), layout.dataOffset());
        TargetFiles.TargetFile file = files.create(target);
        return allBlocksInPlace() ? new VdiInPlaceWriter(this, file, header) : new VdiDynamicWriter(this, file, header);
    }

    /**
     * qemu-img cannot measure a VDI; DiskLens answers the layout it writes: header and block map (the data offset),
     * plus each 1 MiB block the source's data touches (dynamic), or every block (static, preallocated).
     */
    @Override
    public SizeEstimate estimate(MeasureSource source) throws IOException {
        Layout layout = Layout.of(targetSize(source.size()));
        long full = layout.dataOffset() + layout.blocks() * BLOCK_SIZE;
        long required = allBlocksInPlace() ? full : layout.dataOffset() + source.touchedUnits(BLOCK_SIZE) * BLOCK_SIZE;
        return new SizeEstimate(required, full, OptionalLong.empty());
    }

    /**
     * Where things go in a new image, as qemu lays it out: the header in the first sector, the block map from 512 on,
     * the data after the map rounded up to a sector.
     */
    record Layout(long blocks, long blocksOffset, long dataOffset) {
        static Layout of(long size) throws InvalidRequest {
            if (size > MAX_DISK_SIZE) {
                throw new InvalidRequest("Unsupported VDI image size (size is 0x%x, max supported is 0x%x)"
                        .formatted(size, MAX_DISK_SIZE));
            }
            long blocks = Math.ceilDiv(size, BLOCK_SIZE);
            long blocksOffset = VdiHeader.READ_SIZE;
            return new Layout(blocks, blocksOffset, blocksOffset + TargetConfig.roundUp(blocks * 4, 512));
        }
    }
}

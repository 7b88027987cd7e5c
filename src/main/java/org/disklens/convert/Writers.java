package org.disklens.convert;

import java.io.IOException;
import java.nio.file.Path;

/** Picks the writer for a target configuration. */
final class Writers {
    private Writers() {
    }

    static ImageWriter create(TargetConfig config, OutputFiles outputs, Path target, long size) throws IOException {
        return switch (config) {
            case RawConfig raw -> new RawWriter(raw, outputs, target, size);
            case Qcow2Config qcow2 -> new Qcow2Writer(qcow2, outputs, target, size);
            case VmdkConfig vmdk -> {
                if (size == 0 && vmdk.subformat().sparse()) {
                    throw new InvalidRequest("an empty disk cannot be a sparse VMDK (qemu and VMware open no such "
                            + "extent); use subformat=monolithicFlat");
                }
                VmdkLayout layout = VmdkLayout.of(vmdk, target, size);
                yield switch (vmdk.subformat()) {
                    case STREAM_OPTIMIZED -> new VmdkStreamWriter(layout, outputs, size);
                    case MONOLITHIC_SPARSE, TWO_GB_MAX_EXTENT_SPARSE -> new VmdkSparseWriter(layout, outputs, size);
                    case MONOLITHIC_FLAT, TWO_GB_MAX_EXTENT_FLAT -> new VmdkFlatWriter(layout, outputs, size);
                };
            }
        };
    }
}

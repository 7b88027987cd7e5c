package org.disklens.image.vmdk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a VMDK target and the guest range each extent holds. Extent files are named after the descriptor
 * as qemu and VMware name them: {@code NAME-flat.vmdk} (monolithicFlat), {@code NAME-f001.vmdk}... and
 * {@code NAME-s001.vmdk}... (twoGbMaxExtent*). Split extents hold 4,192,256 sectors (2047 MiB, a whole number of
 * grains) each, as VMware's own 2GbMaxExtent disks do; the last one holds the rest.
 */
record VmdkLayout(VmdkConfig config, Path descriptor, List<Extent> extents) {
    static final long SECTOR = 512;
    /** VMware's split extent size, in sectors (the Virtual Disk Format's own example uses it). */
    static final long SPLIT_EXTENT_SECTORS = 4_192_256;

    /** One extent: its file (the descriptor's own for monolithic sparse images) and its share of the guest disk. */
    record Extent(Path path, long guestStart, long sectors) {
        String fileName() {
            return path.getFileName().toString();
        }

        long bytes() {
            return sectors * SECTOR;
        }
    }

    static VmdkLayout of(VmdkConfig config, Path target, long size) {
        long sectors = size / SECTOR;
        List<Extent> extents = new ArrayList<>();
        VmdkConfig.Subformat subformat = config.subformat();
        if (!subformat.separateDescriptor()) {
            extents.add(new Extent(target, 0, sectors));
        } else if (!subformat.split()) {
            extents.add(new Extent(sibling(target, "-flat"), 0, sectors));
        } else {
            char letter = subformat.sparse() ? 's' : 'f';
            long start = 0;
            int index = 1;
            do {
                long count = Math.min(SPLIT_EXTENT_SECTORS, sectors - start);
                extents.add(new Extent(sibling(target, "-%c%03d".formatted(letter, index++)), start * SECTOR, count));
                start += count;
            } while (start < sectors);
        }
        return new VmdkLayout(config, target, List.copyOf(extents));
    }

    /** {@code dir/NAME.ext} → {@code dir/NAME<suffix>.ext}. */
    private static Path sibling(Path target, String suffix) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return target.resolveSibling(stem + suffix + extension);
    }

    /** Every file, the descriptor (or single file) first. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(descriptor);
        for (Extent extent : extents) {
            if (!extent.path().equals(descriptor)) {
                files.add(extent.path());
            }
        }
        return files;
    }

    /** The extent holding guest byte {@code guestOffset}. */
    int extentAt(long guestOffset) {
        if (extents.size() == 1) {
            return 0;
        }
        return (int) Math.min(extents.size() - 1, guestOffset / (SPLIT_EXTENT_SECTORS * SECTOR));
    }
}

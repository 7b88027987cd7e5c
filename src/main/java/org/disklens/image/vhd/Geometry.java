package org.disklens.image.vhd;

/**
 * A disk's CHS geometry, as the VHD specification's appendix computes it from a sector count ("CHS calculation"),
 * with qemu's extension to 255 sectors per track up to 65535 × 16 × 255, and the size qemu gives a new disk
 * ({@code calculate_rounded_image_size}): without {@code force_size}, the requested sectors rounded up to the first
 * geometry that holds them; with it (or past what a geometry can hold), the exact size and the largest geometry.
 */
record Geometry(int cylinders, int heads, int sectorsPerTrack) {
    static final Geometry MAX = new Geometry(65535, 16, 255);

    long sectors() {
        return (long) cylinders * heads * sectorsPerTrack;
    }

    /** qemu's {@code calculate_geometry}: the geometry for {@code totalSectors}, which may round it down. */
    static Geometry forSectors(long totalSectors) {
        long sectors = Math.min(totalSectors, VhdFooter.MAX_GEOMETRY_SECTORS);
        int sectorsPerTrack;
        int heads;
        long cylindersTimesHeads;
        if (sectors >= 65535L * 16 * 63) {
            sectorsPerTrack = 255;
            heads = 16;
            cylindersTimesHeads = sectors / sectorsPerTrack;
        } else {
            sectorsPerTrack = 17;
            cylindersTimesHeads = sectors / sectorsPerTrack;
            heads = (int) (Math.ceilDiv(cylindersTimesHeads, 1024) & 0xff); // qemu keeps heads in a uint8_t
            if (heads < 4) {
                heads = 4;
            }
            if (cylindersTimesHeads >= heads * 1024L || heads > 16) {
                sectorsPerTrack = 31;
                heads = 16;
                cylindersTimesHeads = sectors / sectorsPerTrack;
            }
            if (cylindersTimesHeads >= heads * 1024L) {
                sectorsPerTrack = 63;
                heads = 16;
                cylindersTimesHeads = sectors / sectorsPerTrack;
            }
        }
        return new Geometry((int) (cylindersTimesHeads / heads), heads, sectorsPerTrack);
    }

    /** The geometry and size in sectors qemu gives a new disk of {@code sizeBytes} (a multiple of 512). */
    record Sizing(Geometry geometry, long sectors) {
        long bytes() {
            return sectors * 512;
        }
    }

    static Sizing forNewDisk(long sizeBytes, boolean forceSize) {
        Geometry geometry;
        if (forceSize) {
            geometry = MAX;
        } else {
            long wanted = Math.min(VhdFooter.MAX_GEOMETRY_SECTORS, sizeBytes / 512);
            geometry = new Geometry(0, 0, 0);
            // Grow the request a sector at a time until the geometry holds it (at most heads × sectors steps).
            for (long extra = 0; wanted > geometry.sectors(); extra++) {
                geometry = forSectors(wanted + extra);
            }
        }
        long sectors = geometry.sectors() == VhdFooter.MAX_GEOMETRY_SECTORS ? sizeBytes / 512 : geometry.sectors();
        return new Sizing(geometry, sectors);
    }
}

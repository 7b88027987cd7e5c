package org.disklens.image;

/**
 * What a run of an image's host file is used for, as its format names and colours it: the answer to "why is the
 * file bigger than its data". A format lists its kinds ({@link DiskImage#hostRegions()}, legend order) and reports
 * runs of them ({@link DiskImage#describeHost}); {@code inspect.HostLayout} sums them up for the File layout chart,
 * which takes labels and colours from here.
 *
 * @param colour {@code #rrggbb}
 * @param role   what the run is for, so generic sentences can be told ("2 MiB of metadata, 1 MiB free")
 */
public record HostRegion(String label, String colour, Role role) {
    /** What every file holds: data, and (in a sparse file) holes. The layout of formats that report no structure. */
    public static final HostRegion DATA = new HostRegion("Data", "#2563eb", Role.DATA);
    public static final HostRegion HOLE = new HostRegion("Sparse hole (not stored)", "#eef1f6", Role.HOLE);

    public enum Role {
        /** Guest data as it is stored. */
        DATA,
        /** Guest data, compressed. */
        COMPRESSED,
        /** The format's own structures: headers, tables, directories. */
        METADATA,
        /** Kept only for internal snapshots. */
        SNAPSHOT,
        /** Inside the file, counted by the format as in use, but used by nothing (qemu's leaked clusters). */
        LEAKED,
        /** Inside the file, free for the format to reuse. */
        FREE,
        /** Inside the file's size, but not stored on the host. */
        HOLE
    }

    /** Receives host runs in any order; runs never overlap, except compressed data sharing a cluster. */
    @FunctionalInterface
    public interface Sink {
        void accept(HostRegion region, long hostOffset, long length);
    }
}

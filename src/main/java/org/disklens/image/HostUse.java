package org.disklens.image;

/**
 * What a run of an image's host file is used for: the answer to "why is the file bigger than its data".
 * Drivers that know their layout report it ({@code Qcow2Image.describeHostUse}); {@code inspect.HostLayout}
 * sums it up for charts.
 */
public enum HostUse {
    HEADER("Header"),
    L1_TABLE("L1 table"),
    L2_TABLES("L2 tables"),
    REFCOUNT_TABLE("Refcount table"),
    REFCOUNT_BLOCKS("Refcount blocks"),
    DATA("Data"),
    COMPRESSED("Compressed data"),
    SNAPSHOT_TABLE("Snapshot table"),
    SNAPSHOT_METADATA("Snapshots' L1/L2 tables"),
    SNAPSHOT_DATA("Data only snapshots use"),
    BITMAPS("Bitmaps"),
    ENCRYPTION_HEADER("Encryption header"),
    LEAKED("Leaked clusters"),
    FREE("Free clusters"),
    /** A hole in a sparse host file: inside the file's size, but not stored. */
    HOLE("Sparse hole (not stored)");

    private final String label;

    HostUse(String label) {
        this.label = label;
    }

    /** Words for a legend. */
    public String label() {
        return label;
    }

    /** Receives host runs in any order; runs never overlap, except compressed data sharing a cluster. */
    @FunctionalInterface
    public interface Sink {
        void accept(HostUse use, long hostOffset, long length);
    }
}

package org.disklens.image.qcow2;

/**
 * The arithmetic of guest offsets: clusters, subclusters (extended L2), L2 entries and L1 indices.
 */
record L2Layout(int clusterBits, int l2Entries, int wordsPerEntry, int subclusterBits) {

    L2Layout(Qcow2Header header) {
        this(header.clusterBits(),
                header.clusterSize() / (header.extendedL2() ? 16 : 8),
                header.extendedL2() ? 2 : 1,
                header.extendedL2() ? 5 : 0);
    }

    /** Guest bytes one L2 table maps. */
    long bytesPerL2() {
        return (long) l2Entries << clusterBits;
    }

    long l1Index(long guestOffset) {
        return guestOffset / bytesPerL2();
    }

    /** L1 entries needed to map {@code size} guest bytes. */
    long l1EntriesFor(long size) {
        return (size + bytesPerL2() - 1) / bytesPerL2();
    }

    /** The allocation unit: a subcluster with extended L2 entries, else a cluster. */
    long unitSize() {
        return 1L << (clusterBits - subclusterBits);
    }

    int subclustersPerCluster() {
        return 1 << subclusterBits;
    }
}

package org.disklens.image;

import java.util.List;

/**
 * A consistency check's findings, with qemu-img's counters. {@code messages} are one line each, in the
 * words qemu-img uses ({@code Leaked cluster 9 refcount=1 reference=0}).
 */
public record CheckReport(long checkErrors, long corruptions, long leaks, long imageEndOffset,
                          long totalClusters, long allocatedClusters, long fragmentedClusters,
                          long compressedClusters, List<String> messages) {

    /** qemu-img's exit code: 2 corruptions (or errors), 3 leaks only, else 0. */
    public int exitCode() {
        if (checkErrors > 0) {
            return 1;
        }
        if (corruptions > 0) {
            return 2;
        }
        return leaks > 0 ? 3 : 0;
    }
}

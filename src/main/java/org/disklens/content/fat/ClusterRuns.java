package org.disklens.content.fat;

import java.io.IOException;
import java.util.Arrays;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;

/**
 * The first clusters of a chain as runs of consecutive cluster numbers: run {@code i} starts at cluster
 * {@code firstCluster[i]} and is the chain's clusters {@code chainIndex[i]} to {@code chainIndex[i + 1] - 1}.
 * Eight bytes a run, so a file of one contiguous run costs nothing whatever its size.
 */
record ClusterRuns(int[] firstCluster, int[] chainIndex, long clusters) {
    /** A file split into more pieces than this is refused rather than held in memory (8 MiB of runs). */
    static final int MAX_RUNS = 1 << 20;

    int count() {
        return firstCluster.length;
    }

    /** The run holding the chain's {@code index}th cluster ({@code 0 <= index < clusters}). */
    int runOf(long index) {
        int found = Arrays.binarySearch(chainIndex, (int) index);
        return found >= 0 ? found : -found - 2;
    }

    /** Clusters from the chain's {@code index}th to the end of its run. */
    long clustersLeftInRun(int run, long index) {
        long end = run + 1 < count() ? chainIndex[run + 1] : clusters;
        return end - index;
    }

    long clusterAt(int run, long index) {
        return firstCluster[run] + (index - chainIndex[run]);
    }

    /**
     * Follows the chain from {@code first} for {@code needed} clusters (what a file's size asks for, at most the
     * volume's cluster count, so a loop cannot run on). Every entry on the way must name the next cluster; reaching
     * the end, a free, bad or reserved entry early, or a cluster the chain already passed, is damage.
     */
    static ClusterRuns follow(FatTable fat, long lastCluster, long first, long needed, String what) throws IOException {
        if (needed > lastCluster - 1) {
            throw new CorruptImage(FatLayout.NAMING, what, -1, "its size needs %d clusters, more than the volume's %d"
                    .formatted(needed, lastCluster - 1));
        }
        if (first < 2 || first > lastCluster) {
            throw new CorruptImage(FatLayout.NAMING, what, -1, "first cluster %d is outside clusters 2 to %d"
                    .formatted(first, lastCluster));
        }
        IntList starts = new IntList();
        IntList indices = new IntList();
        starts.add((int) first);
        indices.add(0);
        FatTable.Cursor cursor = fat.cursor();
        long cluster = first;
        for (long index = 1; index < needed; index++) {
            long next = cursor.entry(cluster);
            FatKind.Entry meaning = fat.kind().classify(next, lastCluster);
            if (meaning != FatKind.Entry.NEXT) {
                throw new CorruptImage(FatLayout.NAMING, what + ": FAT entry of cluster " + cluster,
                        fat.entryPosition(cluster), "%s after %d of the %d clusters its size needs".formatted(
                                describe(meaning, next), index, needed));
            }
            if (next != cluster + 1) {
                if (starts.size() >= MAX_RUNS) {
                    throw new LimitExceeded(FatLayout.NAMING, what, -1, "more than %d fragments".formatted(MAX_RUNS));
                }
                starts.add((int) next);
                indices.add((int) index);
            }
            cluster = next;
        }
        ClusterRuns runs = new ClusterRuns(starts.toArray(), indices.toArray(), needed);
        runs.requireNoClusterTwice(fat, what);
        return runs;
    }

    static String describe(FatKind.Entry meaning, long value) {
        return switch (meaning) {
            case FREE -> "the chain reaches a free entry";
            case BAD -> "the chain reaches a bad-cluster mark";
            case END -> "the chain ends";
            case RESERVED -> "the chain reaches 0x%x, a reserved value or a cluster past the volume".formatted(value);
            case NEXT -> "the chain goes on";
        };
    }

    /** A chain that meets one of its own clusters again loops (or was cross-linked onto itself). */
    private void requireNoClusterTwice(FatTable fat, String what) throws CorruptImage {
        if (count() == 1) {
            return;
        }
        long[] spans = new long[count()];
        for (int run = 0; run < count(); run++) {
            spans[run] = ((long) firstCluster[run] << 32) | clustersLeftInRun(run, chainIndex[run]);
        }
        Arrays.sort(spans);
        for (int i = 1; i < spans.length; i++) {
            long previousEnd = (spans[i - 1] >>> 32) + (spans[i - 1] & 0xffffffffL);
            long start = spans[i] >>> 32;
            if (start < previousEnd) {
                throw new CorruptImage(FatLayout.NAMING, what, fat.entryPosition(start),
                        "its cluster chain reaches cluster %d twice (a loop or a cross-link)".formatted(start));
            }
        }
    }

    /** A growable int array: runs are collected without boxing. */
    private static final class IntList {
        private int[] values = new int[4];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}

package org.disklens.inspect;

import java.util.Arrays;

/**
 * Runs of the guest disk, sorted and merged: free space the guest's file systems report. Memory is two longs per
 * run, whatever the disk's size; lookups are binary searches.
 */
public final class GuestRanges {
    public static final GuestRanges NONE = new Builder().build();

    private final long[] starts;
    private final long[] ends;
    private final long bytes;

    private GuestRanges(long[] starts, long[] ends, int count) {
        this.starts = Arrays.copyOf(starts, count);
        this.ends = Arrays.copyOf(ends, count);
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += ends[i] - starts[i];
        }
        this.bytes = sum;
    }

    public int count() {
        return starts.length;
    }

    public long start(int index) {
        return starts[index];
    }

    public long end(int index) {
        return ends[index];
    }

    /** Bytes covered. */
    public long bytes() {
        return bytes;
    }

    /** The index of the first run that ends after {@code offset}, or {@link #count()} when none does. */
    public int firstEndingAfter(long offset) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] <= offset) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Whether any run overlaps {@code [start, end)}. */
    public boolean overlaps(long start, long end) {
        int index = firstEndingAfter(start);
        return index < starts.length && starts[index] < end;
    }

    /** Bytes of {@code [start, end)} covered by runs. */
    public long overlap(long start, long end) {
        long sum = 0;
        for (int index = firstEndingAfter(start); index < starts.length && starts[index] < end; index++) {
            sum += Math.min(end, ends[index]) - Math.max(start, starts[index]);
        }
        return sum;
    }

    /** Collects runs in any order; {@link #build} sorts and merges them. */
    public static final class Builder {
        private long[] starts = new long[64];
        private long[] ends = new long[64];
        private int count;
        private boolean sorted = true;

        public Builder add(long start, long length) {
            if (length <= 0) {
                return this;
            }
            if (count > 0 && start < starts[count - 1]) {
                sorted = false;
            }
            if (count > 0 && sorted && start <= ends[count - 1]) {
                ends[count - 1] = Math.max(ends[count - 1], start + length);
                return this;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = start + length;
            count++;
            return this;
        }

        public Builder addAll(GuestRanges ranges) {
            for (int i = 0; i < ranges.count(); i++) {
                add(ranges.start(i), ranges.end(i) - ranges.start(i));
            }
            return this;
        }

        public GuestRanges build() {
            if (sorted) {
                return new GuestRanges(starts, ends, count);
            }
            // The union of intervals needs only the sorted starts and the sorted ends: a sweep counts how many runs
            // are open; a merged run begins where that count leaves zero and ends where it returns to it.
            long[] sortedStarts = Arrays.copyOf(starts, count);
            long[] sortedEnds = Arrays.copyOf(ends, count);
            Arrays.sort(sortedStarts);
            Arrays.sort(sortedEnds);
            Builder merged = new Builder();
            int open = 0;
            long begin = 0;
            for (int i = 0, j = 0; j < count; ) {
                if (i < count && sortedStarts[i] <= sortedEnds[j]) {
                    if (open++ == 0) {
                        begin = sortedStarts[i];
                    }
                    i++;
                } else {
                    if (--open == 0) {
                        merged.add(begin, sortedEnds[j] - begin);
                    }
                    j++;
                }
            }
            return merged.build();
        }
    }
}

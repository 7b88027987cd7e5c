package org.disklens.content.ntfs;

import java.util.Arrays;
import java.util.function.Supplier;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;

/**
 * Where the clusters of a non-resident attribute are: runs of {@code (vcn, lcn, length)} in VCN order, sparse runs
 * with no LCN. Adjacent runs that continue each other are merged, so a lookup answers the longest contiguous run.
 * Immutable; lookups by binary search.
 */
final class RunList {
    static final long SPARSE = -1;
    /** Runs of one stream: a 1 GiB file in 4 KiB fragments has 262,144. */
    static final int MAX_RUNS = 1 << 20;
    /** VCNs stay below this, so that {@code vcn * clusterSize} never overflows (clusters are at most 2 MiB). */
    static final long MAX_VCN = Long.MAX_VALUE / Geometry.MAX_CLUSTER;

    private final long[] vcns;
    private final long[] lcns;
    private final long[] lengths;
    private final int count;

    private RunList(long[] vcns, long[] lcns, long[] lengths, int count) {
        this.vcns = vcns;
        this.lcns = lcns;
        this.lengths = lengths;
        this.count = count;
    }

    static RunList empty() {
        return new RunList(new long[0], new long[0], new long[0], 0);
    }

    /**
     * Decodes one attribute's mapping pairs, its first run at {@code firstVcn}: a header byte (low nibble: bytes of
     * the length, high nibble: bytes of the LCN delta, 0 for a sparse run), the length, the signed delta from the
     * previous run's LCN; a 0 header ends the list. Zero or negative lengths and runs past the volume are damage.
     */
    static void decode(byte[] pairs, long firstVcn, long clusterCount, Builder into, Supplier<String> where,
                       long volumeOffset)
            throws ImageException {
        long vcn = firstVcn;
        long lcn = 0;
        int at = 0;
        while (at < pairs.length && pairs[at] != 0) {
            int header = Byte.toUnsignedInt(pairs[at]);
            int lengthSize = header & 0xF;
            int offsetSize = header >>> 4;
            if (lengthSize == 0 || lengthSize > 8 || offsetSize > 8) {
                throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset,
                        "run list byte %d: header 0x%02x has field sizes %d and %d".formatted(at, header, lengthSize, offsetSize));
            }
            if (at + 1 + lengthSize + offsetSize > pairs.length) {
                throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset, "run list runs past the attribute");
            }
            long length = signed(pairs, at + 1, lengthSize);
            if (length <= 0) {
                throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset,
                        "run list byte %d: a run of %d clusters".formatted(at, length));
            }
            if (length > MAX_VCN - vcn) {
                throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset, "runs reach past VCN %d".formatted(MAX_VCN));
            }
            if (offsetSize == 0) {
                into.add(vcn, SPARSE, length);
            } else {
                lcn += signed(pairs, at + 1 + lengthSize, offsetSize);
                if (lcn < 0 || lcn > clusterCount - length) {
                    throw new CorruptImage(Geometry.NAMING, where.get(), volumeOffset,
                            "a run of %d clusters at cluster %d lies past the volume's %d clusters".formatted(length, lcn,
                                    clusterCount));
                }
                into.add(vcn, lcn, length);
            }
            vcn += length;
            at += 1 + lengthSize + offsetSize;
        }
    }

    /** A little-endian two's-complement number of {@code size} bytes (1 to 8). */
    private static long signed(byte[] bytes, int at, int size) {
        long value = bytes[at + size - 1]; // sign-extends the most significant byte
        for (int i = size - 2; i >= 0; i--) {
            value = (value << 8) | Byte.toUnsignedLong(bytes[at + i]);
        }
        return value;
    }

    int count() {
        return count;
    }

    long vcn(int index) {
        return vcns[index];
    }

    long lcn(int index) {
        return lcns[index];
    }

    long length(int index) {
        return lengths[index];
    }

    boolean sparse(int index) {
        return lcns[index] == SPARSE;
    }

    /** The VCN after the last run. */
    long endVcn() {
        return count == 0 ? 0 : vcns[count - 1] + lengths[count - 1];
    }

    /** The run holding {@code vcn}, or -1 when no run does. */
    int find(long vcn) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (vcn < vcns[middle]) {
                high = middle - 1;
            } else if (vcn >= vcns[middle] + lengths[middle]) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }

    /** Collects runs in VCN order, merging those that continue each other; a gap becomes a sparse run. */
    static final class Builder {
        private long[] vcns = new long[4];
        private long[] lcns = new long[4];
        private long[] lengths = new long[4];
        private int count;
        private final Supplier<String> where;

        Builder(Supplier<String> where) {
            this.where = where;
        }

        long endVcn() {
            return count == 0 ? 0 : vcns[count - 1] + lengths[count - 1];
        }

        void add(long vcn, long lcn, long length) throws ImageException {
            long end = endVcn();
            if (vcn < end) {
                throw new CorruptImage(Geometry.NAMING, where.get(), -1, "runs overlap at VCN %d".formatted(vcn));
            }
            if (vcn > end) {
                add(end, SPARSE, vcn - end);
            }
            if (count > 0 && continues(count - 1, lcn)) {
                lengths[count - 1] += length;
                return;
            }
            if (count == MAX_RUNS) {
                throw new LimitExceeded(Geometry.NAMING, where.get(), -1, "more than %d runs".formatted(MAX_RUNS));
            }
            if (count == vcns.length) {
                int grown = Math.min(MAX_RUNS, count * 2);
                vcns = Arrays.copyOf(vcns, grown);
                lcns = Arrays.copyOf(lcns, grown);
                lengths = Arrays.copyOf(lengths, grown);
            }
            vcns[count] = vcn;
            lcns[count] = lcn;
            lengths[count] = length;
            count++;
        }

        private boolean continues(int last, long lcn) {
            return lcns[last] == SPARSE ? lcn == SPARSE : lcn != SPARSE && lcns[last] + lengths[last] == lcn;
        }

        RunList build() {
            return new RunList(Arrays.copyOf(vcns, count), Arrays.copyOf(lcns, count), Arrays.copyOf(lengths, count), count);
        }
    }
}

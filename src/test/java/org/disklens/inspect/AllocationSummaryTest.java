package org.disklens.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bucketed allocation of qemu-img-made chains, against the totals of qemu-img's own {@code map}. */
class AllocationSummaryTest {
    @TempDir
    Path dir;

    @BeforeEach
    void makeChain() {
        Qemu.require();
        Qemu.create(dir, "base.qcow2", "qcow2", "", "1G");
        Qemu.io(dir, "base.qcow2", "qcow2", "write -P 1 0 1M", "write -P 2 512M 192k");
        Qemu.create(dir, "top.qcow2", "qcow2", "backing_file=base.qcow2,backing_fmt=qcow2", "1G");
        Qemu.io(dir, "top.qcow2", "qcow2", "write -P 3 64k 128k", "write -z 512M 64k", "write -c -P 4 900M 128k",
                "write -P 5 1000M 64k");
    }

    @Test
    void totalsAgreeWithQemuImgMap() throws IOException {
        Expected expected = Expected.fromQemuMap(Qemu.map(dir, "top.qcow2"), 0, Long.MAX_VALUE);
        try (ImageChain chain = open()) {
            AllocationSummary summary = AllocationSummary.compute(chain, 256, ProgressListener.NONE);

            assertThat(summary.layers()).isEqualTo(2);
            assertThat(summary.totalData(0)).isEqualTo(expected.data[0]).isEqualTo((128 + 64) * 1024);
            assertThat(summary.totalData(1)).isEqualTo(expected.data[1]);
            assertThat(summary.totalZero()).isEqualTo(expected.zero);
            assertThat(summary.totalCompressed()).isEqualTo(expected.compressed).isEqualTo(128 * 1024);
            assertThat(summary.totalUnallocated()).isEqualTo(expected.unallocated);
            assertThat(summary.provided(0)).isEqualTo(expected.provided[0]);
            assertThat(summary.provided(1)).isEqualTo(expected.provided[1]);
            assertBucketsAddUp(summary);
        }
    }

    @Test
    void zoomingSumsOnlyTheVisibleRange() throws IOException {
        long start = 511L << 20;
        long end = 513L << 20;
        Expected expected = Expected.fromQemuMap(Qemu.map(dir, "top.qcow2"), start, end);
        try (ImageChain chain = open()) {
            AllocationSummary summary = AllocationSummary.compute(chain, start, end, 64, ProgressListener.NONE);

            assertThat(summary.bucketCount()).isEqualTo(64);
            assertThat(summary.bucketSize()).isEqualTo(32 * 1024);
            assertThat(summary.totalData(1)).isEqualTo(expected.data[1]).isEqualTo(128 * 1024);
            assertThat(summary.totalZero()).isEqualTo(expected.zero).isEqualTo(64 * 1024);
            assertThat(summary.bucketAt(512L << 20)).isEqualTo(32);
            assertThat(summary.zero(32)).isEqualTo(32 * 1024);
            assertBucketsAddUp(summary);
        }
    }

    @Test
    void a16TiBSparseImageNeedsNoMoreThanItsBuckets() throws IOException {
        Qemu.create(dir, "huge.qcow2", "qcow2", "", "16T");
        Qemu.io(dir, "huge.qcow2", "qcow2", "write -P 1 8T 64k");
        try (ImageChain chain = new ImageOpener(OpenPolicy.DEFAULT).openChain(dir.resolve("huge.qcow2"),
                Optional.empty(), false)) {
            AllocationSummary summary = AllocationSummary.compute(chain, 4096, ProgressListener.NONE);

            assertThat(summary.bucketCount()).isEqualTo(4096);
            assertThat(summary.totalData(0)).isEqualTo(64 * 1024);
            assertThat(summary.data(2048, 0)).isEqualTo(64 * 1024);
            assertThat(summary.totalUnallocated()).isEqualTo((16L << 40) - 64 * 1024);
        }
    }

    private ImageChain open() throws IOException {
        return new ImageOpener(OpenPolicy.DEFAULT).openChain(dir.resolve("top.qcow2"), Optional.empty(), false);
    }

    private static void assertBucketsAddUp(AllocationSummary summary) {
        long unallocated = 0;
        long zero = 0;
        long compressed = 0;
        long[] data = new long[summary.layers()];
        for (int bucket = 0; bucket < summary.bucketCount(); bucket++) {
            long inBucket = summary.unallocated(bucket) + summary.zero(bucket) + summary.compressed(bucket);
            unallocated += summary.unallocated(bucket);
            zero += summary.zero(bucket);
            compressed += summary.compressed(bucket);
            for (int depth = 0; depth < summary.layers(); depth++) {
                data[depth] += summary.data(bucket, depth);
                inBucket += summary.data(bucket, depth);
            }
            assertThat(inBucket).isEqualTo(summary.bucketEnd(bucket) - summary.bucketStart(bucket));
        }
        assertThat(unallocated).isEqualTo(summary.totalUnallocated());
        assertThat(zero).isEqualTo(summary.totalZero());
        assertThat(compressed).isEqualTo(summary.totalCompressed());
        for (int depth = 0; depth < summary.layers(); depth++) {
            assertThat(data[depth]).isEqualTo(summary.totalData(depth));
        }
    }

    /** Sums of qemu-img map entries, clipped to {@code [from, to)}, by the state the GUI colours. */
    private static final class Expected {
        final long[] data = new long[2];
        final long[] provided = new long[2];
        long zero;
        long compressed;
        long unallocated;

        static Expected fromQemuMap(JsonNode map, long from, long to) {
            Expected sums = new Expected();
            for (JsonNode entry : map) {
                long start = Math.max(from, entry.get("start").asLong());
                long end = Math.min(to, entry.get("start").asLong() + entry.get("length").asLong());
                if (end <= start) {
                    continue;
                }
                long length = end - start;
                int depth = entry.get("depth").asInt();
                boolean present = entry.get("present").asBoolean();
                boolean zero = entry.get("zero").asBoolean();
                boolean data = entry.get("data").asBoolean();
                if (!present) {
                    sums.unallocated += length;
                    continue;
                }
                sums.provided[depth] += length;
                if (data && !zero && !entry.has("offset")) {
                    sums.compressed += length;
                } else if (zero) {
                    sums.zero += length;
                } else {
                    sums.data[depth] += length;
                }
            }
            return sums;
        }
    }
}

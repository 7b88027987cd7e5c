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

    @Test
    void theHolesOfARawFileAreNotStoredAndItsDataShowsWhereItIs() throws IOException {
        Path raw = dir.resolve("sparse.raw");
        try (var file = java.nio.channels.FileChannel.open(raw, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(0);
            file.write(java.nio.ByteBuffer.wrap(new byte[] {1}), (2L << 40) - 1);
        }
        Qemu.io(dir, "sparse.raw", "raw", "write -P 7 1T 4k");
        long data = 0;
        long holes = 0;
        for (JsonNode entry : Qemu.map(dir, "sparse.raw")) {
            if (entry.get("data").asBoolean()) {
                data += entry.get("length").asLong();
            } else {
                holes += entry.get("length").asLong();
            }
        }
        try (ImageChain chain = new ImageOpener(OpenPolicy.DEFAULT).openChain(raw, Optional.empty(), false)) {
            AllocationSummary summary = AllocationSummary.compute(chain, 4096, ProgressListener.NONE);

            assertThat(summary.totalData(0)).isEqualTo(data);
            assertThat(summary.totalNotStored()).isEqualTo(holes).isGreaterThan(2L << 39);
            assertThat(summary.totalZero()).isZero();
            int middle = summary.bucketAt(1L << 40);
            assertThat(summary.data(middle, 0)).isPositive();
            assertThat(summary.allocated(middle)).isEqualTo(summary.data(middle, 0));
            assertThat(summary.allocated(middle - 1)).isZero();
            assertBucketsAddUp(summary);
        }
    }

    @Test
    void storedRunsInTheGuestsFreeSpaceAreToldApart() throws IOException {
        // Free in the guest: the top layer's 64 KiB at 64k, the base's data at 512M, the compressed run and some
        // unallocated space (which stays unallocated: only what is stored can be freed).
        GuestRanges free = new GuestRanges.Builder().add(64 << 10, 64 << 10).add(512L << 20, 1L << 20)
                .add(900L << 20, 200L << 20).build();
        try (ImageChain chain = open()) {
            AllocationSummary plain = AllocationSummary.compute(chain, 0, chain.virtualSize(), 256, ProgressListener.NONE);
            AllocationSummary split = AllocationSummary.compute(chain, 0, chain.virtualSize(), 256, free,
                    ProgressListener.NONE);

            long expected = Reclaimable.storedIn(chain, free, ProgressListener.NONE);
            assertThat(split.totalFreeInGuest()).isEqualTo(expected)
                    .isEqualTo((64 << 10) + (128 << 10) + (128 << 10) + (64 << 10));
            assertThat(split.totalData(0)).isEqualTo(plain.totalData(0) - (64 << 10) - (64 << 10));
            assertThat(split.totalCompressed()).isZero();
            assertThat(split.totalZero()).isEqualTo(plain.totalZero());
            assertThat(split.totalUnallocated()).isEqualTo(plain.totalUnallocated());
            assertThat(split.provided(1)).isEqualTo(plain.provided(1));
            assertBucketsAddUp(split);
        }
    }

    @Test
    void aDamagedTableMarksItsRangeUnreadableAndTheRestIsStillSummed() throws IOException {
        Qemu.create(dir, "damaged.qcow2", "qcow2", "", "4G");
        Qemu.io(dir, "damaged.qcow2", "qcow2", "write -P 1 0 64k", "write -P 2 3G 64k");
        // The second L2 table and its data were written last: cut the file before that table.
        long lastData = -1;
        for (JsonNode entry : Qemu.map(dir, "damaged.qcow2")) {
            if (entry.get("start").asLong() == 3L << 30) {
                lastData = entry.get("offset").asLong();
            }
        }
        long secondTable = lastData - 65536;
        try (var file = java.nio.channels.FileChannel.open(dir.resolve("damaged.qcow2"),
                java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(secondTable);
        }
        try (ImageChain chain = new ImageOpener(OpenPolicy.DEFAULT).openChain(dir.resolve("damaged.qcow2"),
                Optional.empty(), false)) {
            AllocationSummary summary = AllocationSummary.compute(chain, 64, ProgressListener.NONE);

            assertThat(summary.totalData(0)).isEqualTo(64 << 10);
            assertThat(summary.totalUnreadable()).isPositive();
            assertThat(summary.unreadable(summary.bucketAt(3L << 30))).isEqualTo(summary.bucketSize());
            assertThat(summary.damageCount()).isEqualTo(1);
            assertThat(summary.damage().getFirst().start()).isEqualTo(3L << 30);
            assertThat(summary.damage().getFirst().reason()).contains("0x%x".formatted(secondTable));
            assertBucketsAddUp(summary);
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
            long inBucket = summary.unallocated(bucket) + summary.zero(bucket) + summary.compressed(bucket)
                    + summary.notStored(bucket) + summary.freeInGuest(bucket) + summary.unreadable(bucket);
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

package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.HostRegion;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.ProgressListener;
import org.disklens.inspect.HostLayout;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host layout of qcow2 images qemu-img made ({@link Qcow2HostWalk} summed by {@link HostLayout}), checked against
 * what qemu-img says about the same files: {@code map} (where data is), {@code check} (allocated, compressed and
 * leaked clusters) and the file size.
 */
class Qcow2HostLayoutTest {
    private static final int CLUSTER = 65536;

    @TempDir
    Path dir;

    @BeforeEach
    void requireQemu() {
        Qemu.require();
    }

    @Test
    void freshImageIsHeaderRefcountsAndL1Only() throws IOException {
        Qemu.create(dir, "fresh.qcow2", "qcow2", "", "10G");
        HostLayout layout = layout("fresh.qcow2", 64);

        assertThat(layout.total(Qcow2Regions.HEADER)).isEqualTo(CLUSTER);
        assertThat(layout.total(Qcow2Regions.REFCOUNT_TABLE)).isEqualTo(CLUSTER);
        assertThat(layout.total(Qcow2Regions.REFCOUNT_BLOCKS)).isEqualTo(CLUSTER);
        // 10 GiB with 64 KiB clusters: each L2 table maps 512 MiB, so the L1 table has 20 entries.
        assertThat(layout.total(Qcow2Regions.L1_TABLE)).isEqualTo(20 * 8);
        assertThat(layout.totals().keySet()).containsOnly(Qcow2Regions.HEADER, Qcow2Regions.REFCOUNT_TABLE,
                Qcow2Regions.REFCOUNT_BLOCKS, Qcow2Regions.L1_TABLE);
        assertEveryByteCountedOnce(layout, "fresh.qcow2");
        assertThat(layout.dominant(0)).isEqualTo(Qcow2Regions.HEADER);
    }

    @Test
    void dataCompressedSnapshotsAndFreeClustersAgreeWithQemuImg() throws IOException {
        Qemu.create(dir, "busy.qcow2", "qcow2", "", "1G");
        Qemu.io(dir, "busy.qcow2", "qcow2", "write -P 1 0 256k", "write -P 2 600M 64k", "write -c -P 3 700M 128k");
        Qemu.img(dir, "snapshot", "-c", "kept", "busy.qcow2");
        Qemu.io(dir, "busy.qcow2", "qcow2", "write -P 4 0 64k");
        Qemu.img(dir, "snapshot", "-c", "scratch", "busy.qcow2");
        Qemu.io(dir, "busy.qcow2", "qcow2", "write -P 5 600M 64k");
        Qemu.img(dir, "snapshot", "-d", "scratch", "busy.qcow2");

        HostLayout layout = layout("busy.qcow2", 32);
        JsonNode check = Cli.parse(Qemu.check(dir, "busy.qcow2").out());
        long compressedClusters = check.get("compressed-clusters").asLong();
        long allocatedClusters = check.get("allocated-clusters").asLong();

        assertThat(layout.total(Qcow2Regions.DATA)).isEqualTo(uncompressedDataInMap("busy.qcow2"))
                .isEqualTo((allocatedClusters - compressedClusters) * CLUSTER);
        assertThat(compressedClusters).isEqualTo(2);
        // qemu packs compressed clusters together: two small ones fill part of one or two host clusters.
        assertThat(layout.total(Qcow2Regions.COMPRESSED)).isIn((long) CLUSTER, 2L * CLUSTER);
        // The clusters at 0 and 600M were rewritten after "kept": their old copies are held only by it.
        assertThat(layout.total(Qcow2Regions.SNAPSHOT_DATA)).isEqualTo(2L * CLUSTER);
        assertThat(layout.total(Qcow2Regions.SNAPSHOT_METADATA)).isPositive();
        assertThat(layout.total(Qcow2Regions.SNAPSHOT_TABLE)).isPositive();
        // Deleting "scratch" freed its copy of the L1 table.
        assertThat(layout.total(Qcow2Regions.FREE)).isGreaterThanOrEqualTo(CLUSTER);
        assertThat(layout.total(Qcow2Regions.LEAKED)).isZero();
        assertEveryByteCountedOnce(layout, "busy.qcow2");
    }

    @Test
    void aClusterCountedButUnreferencedIsLeakedAsQemuImgCheckSays() throws IOException {
        Qemu.create(dir, "leaky.qcow2", "qcow2", "", "1G");
        Qemu.io(dir, "leaky.qcow2", "qcow2", "write -P 7 0 64k");
        long leakedCluster = appendClusterCountedOnce(dir.resolve("leaky.qcow2"));
        assertThat(Qemu.check(dir, "leaky.qcow2").exitCode()).as("qemu-img check sees a leak").isEqualTo(3);
        long qemuLeaks = Cli.parse(Qemu.check(dir, "leaky.qcow2").out()).get("leaks").asLong();

        HostLayout layout = layout("leaky.qcow2", 16);

        assertThat(qemuLeaks).isEqualTo(1);
        assertThat(layout.total(Qcow2Regions.LEAKED)).isEqualTo(qemuLeaks * CLUSTER);
        long inBucketsAroundIt = 0;
        for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
            boolean overlaps = layout.bucketStart(bucket) < (leakedCluster + 1) * CLUSTER
                    && layout.bucketEnd(bucket) > leakedCluster * CLUSTER;
            inBucketsAroundIt += overlaps ? layout.bytes(bucket, Qcow2Regions.LEAKED) : 0;
        }
        assertThat(inBucketsAroundIt).isEqualTo(CLUSTER);
    }

    @Test
    void bucketsStayWithinTheLimitAndAddUpToTheTotals() throws IOException {
        Qemu.create(dir, "many.qcow2", "qcow2", "cluster_size=4096", "64M");
        Qemu.io(dir, "many.qcow2", "qcow2", "write -P 1 0 3M", "write -P 2 40M 1M");
        HostLayout layout = layout("many.qcow2", 10);

        assertThat(layout.bucketCount()).isLessThanOrEqualTo(10);
        for (HostRegion use : layout.regions()) {
            long sum = 0;
            for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
                sum += layout.bytes(bucket, use);
            }
            assertThat(sum).as(use.label()).isEqualTo(layout.total(use));
        }
        assertEveryByteCountedOnce(layout, "many.qcow2");
    }

    private HostLayout layout(String file, int buckets) throws IOException {
        try (DiskImage image = new ImageOpener(OpenPolicy.DEFAULT).open(dir.resolve(file), Optional.empty())) {
            return HostLayout.of(image, buckets, ProgressListener.NONE);
        }
    }

    private void assertEveryByteCountedOnce(HostLayout layout, String file) throws IOException {
        long sum = layout.totals().values().stream().mapToLong(Long::longValue).sum();
        assertThat(sum).isEqualTo(Files.size(dir.resolve(file))).isEqualTo(layout.fileSize());
    }

    /** Bytes qemu-img map says are stored uncompressed in the image itself. */
    private long uncompressedDataInMap(String file) {
        long sum = 0;
        for (JsonNode entry : Qemu.map(dir, file)) {
            if (entry.get("depth").asInt() == 0 && entry.get("data").asBoolean() && entry.has("offset")) {
                sum += entry.get("length").asLong();
            }
        }
        return sum;
    }

    /**
     * Grows the file by one cluster and sets that cluster's refcount to 1 without referencing it: a leak.
     * Assumes qemu-img's defaults (16-bit refcounts, the first refcount block covering the file).
     */
    private static long appendClusterCountedOnce(Path image) throws IOException {
        try (FileChannel file = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long cluster = (file.size() + CLUSTER - 1) / CLUSTER;
            file.truncate((cluster + 1) * CLUSTER);
            file.write(ByteBuffer.allocate(1), (cluster + 1) * CLUSTER - 1);
            long refcountTable = readLong(file, 48);
            long firstBlock = readLong(file, refcountTable) & ~0x1ffL;
            file.write(ByteBuffer.wrap(new byte[] {0, 1}), firstBlock + cluster * 2);
            return cluster;
        }
    }

    private static long readLong(FileChannel file, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        file.read(buffer, position);
        return buffer.flip().getLong();
    }
}

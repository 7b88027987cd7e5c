package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.disklens.image.LimitExceeded;

/**
 * Host clusters of a qcow2 file being written front to back, and their refcounts. Clusters are handed out in
 * increasing order; a refcount block is created (at the next free cluster) the first time a cluster of its range
 * is handed out, kept in memory while its range can still change, and written once the file has grown past it. So
 * only a block or two is ever in memory, whatever the image's size, and the refcount table (one offset per block)
 * is the only thing that grows with the file. Every cluster below {@link #next()} is in use.
 */
final class Qcow2Allocator {
    /** qemu's limit for the refcount table. */
    static final long MAX_REFCOUNT_TABLE_BYTES = 8L << 20;

    private final Writer out;
    private final int clusterBits;
    private final int clusterSize;
    private final int refcountBits;
    /** Refcounts per block: {@code clusterSize * 8 / refcountBits}. */
    private final long perBlock;
    private final long maxRefcount;
    private final Map<Long, Block> openBlocks = new TreeMap<>();
    private long[] blockOffsets = new long[16];
    private long rangesWithBlocks;
    private long next;

    /** Where finished refcount blocks go. */
    interface Writer {
        void writeCluster(long hostOffset, ByteBuffer bytes) throws IOException;
    }

    /** A refcount block: its host cluster, and its entries as they will be on disk. */
    private static final class Block {
        final long hostCluster;
        final byte[] bytes;

        Block(long hostCluster, int size) {
            this.hostCluster = hostCluster;
            this.bytes = new byte[size];
        }
    }

    Qcow2Allocator(int clusterBits, int refcountOrder, Writer out) throws IOException {
        this.out = out;
        this.clusterBits = clusterBits;
        this.clusterSize = 1 << clusterBits;
        this.refcountBits = 1 << refcountOrder;
        this.perBlock = (long) clusterSize * 8 / refcountBits;
        this.maxRefcount = refcountBits == 64 ? Long.MAX_VALUE : (1L << refcountBits) - 1;
        // Cluster 0 is the header.
        next = 1;
        ensureBlock(0);
        increment(0);
    }

    long next() {
        return next;
    }

    long maxRefcount() {
        return maxRefcount;
    }

    int clusterSize() {
        return clusterSize;
    }

    /** Hands out {@code count} contiguous clusters with refcount 1; returns the first. */
    long allocate(long count) throws IOException {
        while (true) {
            long start = next;
            long end = start + count;
            long missing = -1;
            for (long range = start / perBlock; range <= (end - 1) / perBlock; range++) {
                if (!hasBlock(range)) {
                    missing = range;
                    break;
                }
            }
            if (missing >= 0) {
                ensureBlock(missing);
                continue;
            }
            next = end;
            for (long cluster = start; cluster < end; cluster++) {
                increment(cluster);
            }
            return start;
        }
    }

    /** One more reference to an allocated cluster whose block is still open (a compressed cluster sharing it). */
    void addReference(long cluster) {
        increment(cluster);
    }

    /** The refcount of a cluster whose block is still open. */
    long refcount(long cluster) {
        Block block = openBlocks.get(cluster / perBlock);
        return block == null ? -1 : get(block, cluster % perBlock);
    }

    /** Whether {@code cluster}'s refcount block is still in memory (so it can still be referenced again). */
    boolean isOpen(long cluster) {
        return openBlocks.containsKey(cluster / perBlock);
    }

    /**
     * Writes the blocks whose ranges lie wholly below the next free cluster, except the range of {@code keep}
     * (a cluster still being filled with compressed data; -1 for none).
     */
    void closeFinishedBlocks(long keep) throws IOException {
        long currentRange = next / perBlock;
        var iterator = openBlocks.entrySet().iterator();
        while (iterator.hasNext()) {
            Map.Entry<Long, Block> entry = iterator.next();
            long range = entry.getKey();
            if (range < currentRange && (keep < 0 || keep / perBlock != range)) {
                out.writeCluster(entry.getValue().hostCluster << clusterBits, ByteBuffer.wrap(entry.getValue().bytes));
                iterator.remove();
            }
        }
    }

    /** Clusters a refcount table needs so that it, and any block its own clusters need, fit in it. */
    long refcountTableClusters() throws LimitExceeded {
        long entriesPerCluster = clusterSize / 8;
        for (long clusters = 1; ; clusters++) {
            long extraBlocks = Math.ceilDiv(clusters, perBlock) + 1;
            long ranges = Math.ceilDiv(next + clusters + extraBlocks, perBlock);
            if (clusters * entriesPerCluster >= ranges) {
                if (clusters * clusterSize > MAX_REFCOUNT_TABLE_BYTES) {
                    throw new LimitExceeded("qcow2", "refcount table", -1, ("%d clusters exceed qemu's limit of 8 MiB; "
                            + "use a larger cluster_size or fewer refcount_bits").formatted(clusters));
                }
                return clusters;
            }
        }
    }

    /** Writes every open block; returns the refcount table: one block offset per range of clusters. */
    long[] finish() throws IOException {
        for (Block block : openBlocks.values()) {
            out.writeCluster(block.hostCluster << clusterBits, ByteBuffer.wrap(block.bytes));
        }
        openBlocks.clear();
        return Arrays.copyOf(blockOffsets, (int) rangesWithBlocks);
    }

    private boolean hasBlock(long range) {
        return range < rangesWithBlocks && blockOffsets[(int) range] != 0;
    }

    /** Creates the block for {@code range} at the next free cluster (counted in whichever block covers it). */
    private void ensureBlock(long range) throws IOException {
        if (hasBlock(range)) {
            return;
        }
        if ((range + 1) * 8 > MAX_REFCOUNT_TABLE_BYTES) {
            throw new LimitExceeded("qcow2", "refcount table", -1, "the file needs more refcount blocks than "
                    + "qemu's 8 MiB refcount table can list; use a larger cluster_size or fewer refcount_bits");
        }
        long cluster = next++;
        if (range >= blockOffsets.length) {
            blockOffsets = Arrays.copyOf(blockOffsets, (int) Math.max(range + 1, blockOffsets.length * 2L));
        }
        blockOffsets[(int) range] = cluster << clusterBits;
        rangesWithBlocks = Math.max(rangesWithBlocks, range + 1);
        openBlocks.put(range, new Block(cluster, clusterSize));
        ensureBlock(cluster / perBlock);
        increment(cluster);
    }

    private void increment(long cluster) {
        Block block = openBlocks.get(cluster / perBlock);
        long index = cluster % perBlock;
        long value = get(block, index);
        if (value >= maxRefcount) {
            throw new IllegalStateException("refcount of cluster %d would overflow".formatted(cluster));
        }
        set(block, index, value + 1);
    }

    private long get(Block block, long index) {
        byte[] bytes = block.bytes;
        int i = (int) index;
        return switch (refcountBits) {
            case 64 -> ByteBuffer.wrap(bytes).getLong(i * 8);
            case 32 -> Integer.toUnsignedLong(ByteBuffer.wrap(bytes).getInt(i * 4));
            case 16 -> ((bytes[i * 2] & 0xff) << 8) | (bytes[i * 2 + 1] & 0xff);
            case 8 -> bytes[i] & 0xff;
            default -> {
                int perByte = 8 / refcountBits;
                yield ((bytes[i / perByte] & 0xff) >>> ((i % perByte) * refcountBits)) & ((1 << refcountBits) - 1);
            }
        };
    }

    private void set(Block block, long index, long value) {
        byte[] bytes = block.bytes;
        int i = (int) index;
        switch (refcountBits) {
            case 64 -> ByteBuffer.wrap(bytes).putLong(i * 8, value);
            case 32 -> ByteBuffer.wrap(bytes).putInt(i * 4, (int) value);
            case 16 -> {
                bytes[i * 2] = (byte) (value >>> 8);
                bytes[i * 2 + 1] = (byte) value;
            }
            case 8 -> bytes[i] = (byte) value;
            default -> {
                int perByte = 8 / refcountBits;
                int shift = (i % perByte) * refcountBits;
                int mask = ((1 << refcountBits) - 1) << shift;
                bytes[i / perByte] = (byte) ((bytes[i / perByte] & ~mask) | ((int) value << shift & mask));
            }
        }
    }
}

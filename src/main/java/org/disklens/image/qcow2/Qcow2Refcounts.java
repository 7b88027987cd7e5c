package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.Bounds;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.io.BlockSource;

/**
 * The refcounts the image itself records: the refcount table and its blocks, with entries 1 to 64 bits wide.
 * Reads one block at a time and keeps only the last one, as scans go in cluster order.
 */
final class Qcow2Refcounts {
    static final long REFT_OFFSET_MASK = 0xfffffffffffffe00L;
    /** qemu's limit for the refcount table. */
    static final long MAX_TABLE_BYTES = 8L << 20;

    private final BlockSource source;
    private final int clusterBits;
    private final int refcountOrder;
    private final long[] table;
    private final int blockEntriesBits;
    private long cachedBlockOffset = -1;
    private ByteBuffer cachedBlock;

    private Qcow2Refcounts(BlockSource source, int clusterBits, int refcountOrder, long[] table) {
        this.source = source;
        this.clusterBits = clusterBits;
        this.refcountOrder = refcountOrder;
        this.table = table;
        this.blockEntriesBits = clusterBits + 3 - refcountOrder;
    }

    static Qcow2Refcounts read(BlockSource source, Qcow2Header header) throws IOException {
        long offset = header.refcountTableOffset();
        long clusters = header.refcountTableClusters();
        if (clusters > MAX_TABLE_BYTES / header.clusterSize()) {
            throw new LimitExceeded("qcow2", "refcount table", offset,
                    "%d clusters exceed qemu's limit of 8 MiB".formatted(clusters));
        }
        Bounds.checkAligned("qcow2", "refcount table", offset, header.clusterSize());
        long entries = (clusters << header.clusterBits()) / 8;
        Bounds.checkTable("qcow2", "refcount table", offset, entries, 8, MAX_TABLE_BYTES, source.size());
        ByteBuffer bytes = source.read(offset, (int) (entries * 8), ByteOrder.BIG_ENDIAN);
        long[] table = new long[(int) entries];
        bytes.asLongBuffer().get(table);
        return new Qcow2Refcounts(source, header.clusterBits(), header.refcountOrder(), table);
    }

    long[] table() {
        return table;
    }

    int refcountOrder() {
        return refcountOrder;
    }

    /** The recorded refcount of host cluster {@code clusterIndex}; clusters no block covers count 0. */
    long get(long clusterIndex) throws IOException {
        long tableIndex = clusterIndex >>> blockEntriesBits;
        if (tableIndex >= table.length) {
            return 0;
        }
        long blockOffset = table[(int) tableIndex] & REFT_OFFSET_MASK;
        if (blockOffset == 0) {
            return 0;
        }
        ByteBuffer block = block(blockOffset, tableIndex);
        long index = clusterIndex & ((1L << blockEntriesBits) - 1);
        return entry(block, index);
    }

    private ByteBuffer block(long blockOffset, long tableIndex) throws IOException {
        if (blockOffset != cachedBlockOffset) {
            int clusterSize = 1 << clusterBits;
            if ((blockOffset & (clusterSize - 1)) != 0 || blockOffset < 0 || blockOffset > source.size() - clusterSize) {
                throw new CorruptImage("qcow2", "refcount table", -1,
                        "entry %d points to refcount block 0x%x, which is unaligned or past the end of the file"
                                .formatted(tableIndex, blockOffset));
            }
            cachedBlock = source.read(blockOffset, clusterSize, ByteOrder.BIG_ENDIAN);
            cachedBlockOffset = blockOffset;
        }
        return cachedBlock;
    }

    private long entry(ByteBuffer block, long index) {
        int bits = 1 << refcountOrder;
        return switch (bits) {
            case 64 -> block.getLong((int) (index * 8));
            case 32 -> Integer.toUnsignedLong(block.getInt((int) (index * 4)));
            case 16 -> Short.toUnsignedInt(block.getShort((int) (index * 2)));
            case 8 -> Byte.toUnsignedInt(block.get((int) index));
            default -> {
                int perByte = 8 / bits;
                int value = Byte.toUnsignedInt(block.get((int) (index / perByte)));
                yield (value >>> ((index % perByte) * bits)) & ((1 << bits) - 1);
            }
        };
    }
}

package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * The {@code $I30} B-tree of one directory, walked in order (each entry after the sub-node its VCN points to), so
 * entries come sorted as NTFS collates them. Sub-nodes are {@code INDX} blocks of {@code $INDEX_ALLOCATION} at
 * {@code vcn * clusterSize} (or {@code vcn * 512} when blocks are smaller than a cluster), marked in use in the
 * index's {@code $BITMAP}. The walk is bounded: depth, entries, each block visited once; a damaged sub-node is left
 * out with a warning, so the rest of the directory still lists.
 */
final class DirectoryIndex {
    /** Far deeper than any real index: a B-tree of 4 KiB nodes holds millions of names in 4 levels. */
    static final int MAX_DEPTH = 32;
    static final int MAX_ENTRIES = 1 << 22;

    /** Receives the index's entries in order. */
    @FunctionalInterface
    interface Visitor {
        void entry(IndexEntry entry) throws IOException;
    }

    private final BlockSource volume;
    private final Geometry geometry;
    private final IndexRoot root;
    private final Optional<DataStream> allocation;
    private final Optional<byte[]> bitmap;
    private final String where;
    private final Consumer<String> warnings;
    private final Set<Long> visited = new HashSet<>();
    private int entries;

    DirectoryIndex(BlockSource volume, Geometry geometry, IndexRoot root, Optional<DataStream> allocation,
                   Optional<byte[]> bitmap, String where, Consumer<String> warnings) {
        this.volume = volume;
        this.geometry = geometry;
        this.root = root;
        this.allocation = allocation;
        this.bitmap = bitmap;
        this.where = where;
        this.warnings = warnings;
    }

    void walk(Visitor visitor) throws IOException {
        walkNode(root.node(), 0, where + " index root", visitor);
    }

    private void walkNode(IndexNode node, int depth, String nodeName, Visitor visitor) throws IOException {
        int at = node.entriesStart();
        while (true) {
            IndexEntry entry;
            try {
                entry = IndexEntry.parse(node, at, nodeName);
            } catch (ImageException damaged) {
                warnings.accept(damaged.getMessage() + "; the rest of that node is left out");
                return;
            }
            if (entry.hasSubnode()) {
                descend(entry.subnodeVcn(), depth + 1, visitor);
            }
            if (entry.last()) {
                return;
            }
            if (++entries > MAX_ENTRIES) {
                throw new LimitExceeded(Geometry.NAMING, where, -1, "more than %d index entries".formatted(MAX_ENTRIES));
            }
            visitor.entry(entry);
            at += entry.length();
        }
    }

    private void descend(long vcn, int depth, Visitor visitor) throws IOException {
        String nodeName = "%s index block VCN %d".formatted(where, vcn);
        Optional<String> refusal = refusal(vcn, depth);
        if (refusal.isPresent()) {
            warnings.accept("%s: %s: %s; its entries are left out".formatted(Geometry.NAMING, nodeName, refusal.get()));
            return;
        }
        DataStream stream = allocation.orElseThrow();
        long offset = vcn << vcnShift();
        ByteBuffer block = ByteBuffer.allocate(root.blockSize()).order(ByteOrder.LITTLE_ENDIAN);
        IndexNode node;
        try {
            long volumeOffset = stream.map(volume, offset, 1) instanceof Mapping.Data data ? data.hostOffset() : -1;
            stream.read(volume, offset, block);
            node = IndexNode.parseBlock(block, vcn, nodeName, volumeOffset);
        } catch (ImageException damaged) {
            warnings.accept(damaged.getMessage() + "; its entries are left out");
            return;
        }
        walkNode(node, depth, nodeName, visitor);
    }

    /** Why the sub-node at {@code vcn} is not read, if it is not. */
    private Optional<String> refusal(long vcn, int depth) {
        if (allocation.isEmpty()) {
            return Optional.of("the directory has no $INDEX_ALLOCATION");
        }
        if (depth > MAX_DEPTH) {
            return Optional.of("the index is nested deeper than %d levels".formatted(MAX_DEPTH));
        }
        long size = allocation.get().size();
        if (vcn < 0 || vcn > (size >> vcnShift()) || (vcn << vcnShift()) > size - root.blockSize()) {
            return Optional.of("lies past the index allocation's %d bytes".formatted(size));
        }
        if (!visited.add(vcn)) {
            return Optional.of("is reached a second time (the index loops)");
        }
        long block = (vcn << vcnShift()) / root.blockSize();
        if (bitmap.isPresent() && (block >= 8L * bitmap.get().length || (bitmap.get()[(int) (block >>> 3)] & (1 << (block & 7))) == 0)) {
            return Optional.of("is marked free in the index's $BITMAP");
        }
        return Optional.empty();
    }

    /** VCNs count clusters, or 512-byte units when index blocks are smaller than a cluster. */
    private int vcnShift() {
        int unit = root.blockSize() >= geometry.clusterSize() ? geometry.clusterSize() : 512;
        return Integer.numberOfTrailingZeros(unit);
    }
}

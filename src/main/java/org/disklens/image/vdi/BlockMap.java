package org.disklens.image.vdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * A VDI block map ({@code paBlocks}): one little-endian 32-bit entry per block of the guest disk, the block's index
 * in the data area, or {@link #FREE} (never written: the parent decides, zeroes in a base image) or {@link #ZERO}
 * (discarded: reads as zeroes). Read lazily in pages of {@value #PAGE_ENTRIES} entries and cached up to 32 MiB, so
 * a 16 TiB image (a 64 MiB map) opens at once and walks in bounded memory. Safe for concurrent readers.
 */
final class BlockMap {
    /** {@code VDI_IMAGE_BLOCK_FREE}: not allocated; a read falls through to the parent. */
    static final long FREE = 0xffffffffL;
    /** {@code VDI_IMAGE_BLOCK_ZERO}: not allocated; reads as zeroes. */
    static final long ZERO = 0xfffffffeL;
    static final int PAGE_ENTRIES = 16384;
    private static final int MAX_CACHED_PAGES = 512;

    private final BlockSource source;
    private final long hostOffset;
    private final long entries;
    private final Map<Long, int[]> pages = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > MAX_CACHED_PAGES;
        }
    };

    /** The map of {@code entries} entries at {@code hostOffset}, already checked to lie inside {@code source}. */
    BlockMap(BlockSource source, long hostOffset, long entries) {
        this.source = source;
        this.hostOffset = hostOffset;
        this.entries = entries;
    }

    static boolean isAllocated(long entry) {
        return entry < ZERO;
    }

    long entries() {
        return entries;
    }

    long hostOffset() {
        return hostOffset;
    }

    /** The entry of {@code block} ({@code 0 <= block < entries()}), unsigned. */
    long entry(long block) throws IOException {
        int[] page = page(block / PAGE_ENTRIES);
        return Integer.toUnsignedLong(page[(int) (block % PAGE_ENTRIES)]);
    }

    /** The page holding entries {@code [index * PAGE_ENTRIES, …)}, from the cache or the file. */
    int[] page(long index) throws IOException {
        synchronized (pages) {
            int[] cached = pages.get(index);
            if (cached != null) {
                return cached;
            }
        }
        int[] page = read(index * PAGE_ENTRIES, (int) Math.min(PAGE_ENTRIES, entries - index * PAGE_ENTRIES));
        synchronized (pages) {
            pages.put(index, page);
        }
        return page;
    }

    private int[] read(long firstEntry, int count) throws IOException {
        ByteBuffer bytes = source.read(hostOffset + firstEntry * 4, count * 4, ByteOrder.LITTLE_ENDIAN);
        int[] page = new int[count];
        bytes.asIntBuffer().get(page);
        return page;
    }

    /** Receives every entry of the map in block order. */
    @FunctionalInterface
    interface EntryVisitor {
        void visit(long block, long entry);
    }

    /** Walks the whole map in block order, a page at a time, without filling the cache. */
    void forEach(EntryVisitor visitor, ProgressListener progress) throws IOException {
        for (long first = 0; first < entries; first += PAGE_ENTRIES) {
            progress.checkCancelled();
            int[] page = read(first, (int) Math.min(PAGE_ENTRIES, entries - first));
            for (int i = 0; i < page.length; i++) {
                visitor.visit(first + i, Integer.toUnsignedLong(page[i]));
            }
            progress.progress(first + page.length, entries);
        }
    }
}

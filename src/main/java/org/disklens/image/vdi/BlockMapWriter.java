package org.disklens.image.vdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.disklens.image.TargetFiles;

/**
 * Writes a new image's block map front to back, one page of {@value BlockMap#PAGE_ENTRIES} entries at a time, so
 * memory stays at 64 KiB whatever the disk's size: entries are set in block order, and every entry never set is
 * written as {@link BlockMap#FREE}.
 */
final class BlockMapWriter {
    private final TargetFiles.TargetFile file;
    private final long hostOffset;
    private final long entries;
    private final int[] page = new int[BlockMap.PAGE_ENTRIES];
    private long pageIndex = 0;
    /** Pages before this one are written. */
    private long nextUnwritten = 0;

    BlockMapWriter(TargetFiles.TargetFile file, long hostOffset, long entries) {
        this.file = file;
        this.hostOffset = hostOffset;
        this.entries = entries;
        Arrays.fill(page, (int) BlockMap.FREE);
    }

    /** Sets {@code block}'s entry; blocks come in increasing order. */
    void set(long block, long entry) throws IOException {
        long index = block / BlockMap.PAGE_ENTRIES;
        if (index != pageIndex) {
            writeThrough(index);
        }
        page[(int) (block % BlockMap.PAGE_ENTRIES)] = (int) entry;
    }

    /** Writes every page up to the end of the map. */
    void finish() throws IOException {
        writeThrough(Math.ceilDiv(entries, BlockMap.PAGE_ENTRIES));
    }

    /** Writes the current page and the untouched pages up to {@code index}, which becomes the current page. */
    private void writeThrough(long index) throws IOException {
        write(pageIndex, page);
        int[] free = new int[BlockMap.PAGE_ENTRIES];
        Arrays.fill(free, (int) BlockMap.FREE);
        for (long skipped = pageIndex + 1; skipped < index; skipped++) {
            write(skipped, free);
        }
        pageIndex = index;
        Arrays.fill(page, (int) BlockMap.FREE);
    }

    private void write(long index, int[] values) throws IOException {
        if (index < nextUnwritten) {
            return;
        }
        long first = index * BlockMap.PAGE_ENTRIES;
        int count = (int) Math.max(0, Math.min(BlockMap.PAGE_ENTRIES, entries - first));
        if (count > 0) {
            ByteBuffer bytes = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asIntBuffer().put(values, 0, count);
            file.write(bytes, hostOffset + first * 4);
        }
        nextUnwritten = index + 1;
    }
}

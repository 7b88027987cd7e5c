package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.io.BlockSource;

/**
 * The block allocation table, read lazily in pages (a 64 TiB disk of 1 MiB blocks has a 512 MiB BAT): payload entries
 * with a sector bitmap entry after every chunk ratio of them.
 *
 * <pre>
 * entry (u64):  bits 0-2 state   bits 3-19 reserved   bits 20-63 file offset in MiB
 * payload states: 0 not present, 1 undefined, 2 zero, 3 unmapped (5 in drafts of the spec, as qemu reads it),
 *                 6 fully present, 7 partially present (differencing disks only)
 * sector bitmap states: 0 not present, 6 present
 * </pre>
 */
final class Bat {
    static final int NOT_PRESENT = 0;
    static final int UNDEFINED = 1;
    static final int ZERO = 2;
    static final int UNMAPPED = 3;
    static final int UNMAPPED_DRAFT = 5;
    static final int FULLY_PRESENT = 6;
    static final int PARTIALLY_PRESENT = 7;
    static final int SB_PRESENT = 6;
    private static final int PAGE_ENTRIES = 8192;
    private static final int CACHED_PAGES = 256; // 16 MiB

    private final BlockSource file;
    private final long offset;
    private final long entries;
    private final long chunkRatio;
    private final Map<Long, long[]> pages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
            return size() > CACHED_PAGES;
        }
    };

    Bat(BlockSource file, long offset, long entries, long chunkRatio) {
        this.file = file;
        this.offset = offset;
        this.entries = entries;
        this.chunkRatio = chunkRatio;
    }

    static int state(long entry) {
        return (int) (entry & 7);
    }

    static long fileOffset(long entry) {
        return entry >>> 20 << 20;
    }

    static long entry(int state, long fileOffset) {
        return fileOffset | state;
    }

    long hostOffset() {
        return offset;
    }

    long entries() {
        return entries;
    }

    long chunkRatio() {
        return chunkRatio;
    }

    /** The BAT index of payload block {@code block}. */
    long payloadIndex(long block) {
        return block + block / chunkRatio;
    }

    /** The BAT index of the sector bitmap block of chunk {@code chunk}. */
    long bitmapIndex(long chunk) {
        return chunk * (chunkRatio + 1) + chunkRatio;
    }

    /** Whether BAT index {@code index} is a sector bitmap entry. */
    boolean isBitmapIndex(long index) {
        return index % (chunkRatio + 1) == chunkRatio;
    }

    long payload(long block) throws IOException {
        return get(payloadIndex(block));
    }

    synchronized long get(long index) throws IOException {
        if (index < 0 || index >= entries) {
            return 0; // a bitmap entry past a dynamic disk's last payload block: never allocated
        }
        long page = index / PAGE_ENTRIES;
        long[] values = pages.get(page);
        if (values == null) {
            int count = (int) Math.min(PAGE_ENTRIES, entries - page * PAGE_ENTRIES);
            ByteBuffer bytes = file.read(offset + page * PAGE_ENTRIES * 8, count * 8, ByteOrder.LITTLE_ENDIAN);
            values = new long[count];
            bytes.asLongBuffer().get(values);
            pages.put(page, values);
        }
        return values[(int) (index % PAGE_ENTRIES)];
    }
}

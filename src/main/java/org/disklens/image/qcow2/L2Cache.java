package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.io.BlockSource;

/**
 * Recently used L2 tables, bounded in bytes so memory never grows with the image's virtual size. Shared by
 * threads (the converter maps in parallel), hence synchronized.
 */
final class L2Cache {
    /** At most this many bytes of L2 tables are kept. */
    static final long CAPACITY_BYTES = 32L << 20;

    private final BlockSource source;
    private final int tableBytes;
    private final Map<Long, long[]> tables;

    L2Cache(BlockSource source, int tableBytes) {
        this.source = source;
        this.tableBytes = tableBytes;
        int maxTables = (int) Math.max(4, CAPACITY_BYTES / tableBytes);
        this.tables = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                return size() > maxTables;
            }
        };
    }

    /** The table at {@code hostOffset} as big-endian 64-bit words; the caller has checked its bounds. */
    long[] get(long hostOffset) throws IOException {
        synchronized (tables) {
            long[] cached = tables.get(hostOffset);
            if (cached != null) {
                return cached;
            }
        }
        ByteBuffer bytes = source.read(hostOffset, tableBytes, ByteOrder.BIG_ENDIAN);
        long[] words = new long[tableBytes / 8];
        bytes.asLongBuffer().get(words);
        synchronized (tables) {
            tables.put(hostOffset, words);
        }
        return words;
    }
}

package org.disklens.image.vmdk;

import java.nio.IntBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.io.BlockSource;

/**
 * The grain tables read from one disk's extents, kept up to {@link #MAX_BYTES} in all, least recently used dropped
 * first. One cache for the whole disk, so that thousands of extents cannot each keep their own; extents that share a
 * file share its tables.
 */
final class GrainTableCache {
    static final long MAX_BYTES = 16L << 20;

    private record Key(BlockSource file, long hostOffset) {
    }

    private final Map<Key, IntBuffer> tables = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    synchronized IntBuffer get(BlockSource file, long hostOffset) {
        return tables.get(new Key(file, hostOffset));
    }

    synchronized void put(BlockSource file, long hostOffset, IntBuffer table) {
        IntBuffer replaced = tables.put(new Key(file, hostOffset), table);
        bytes += table.capacity() * 4L - (replaced == null ? 0 : replaced.capacity() * 4L);
        Iterator<IntBuffer> leastRecent = tables.values().iterator();
        while (bytes > MAX_BYTES && tables.size() > 1) {
            bytes -= leastRecent.next().capacity() * 4L;
            leastRecent.remove();
        }
    }
}

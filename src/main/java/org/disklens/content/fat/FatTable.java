package org.disklens.content.fat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.disklens.image.CorruptImage;
import org.disklens.io.BlockSource;

/**
 * The active FAT, read in chunks of {@value #CHUNK_ENTRIES} entries (a FAT12 FAT is one chunk) and kept in a
 * least-recently-used cache of at most {@value #MAX_CHUNKS} chunks (4 MiB). Only the entries of clusters 0 to the
 * last one are read; the FAT's tail beyond them means nothing. Thread-safe.
 */
final class FatTable {
    static final int CHUNK_ENTRIES = 16384;
    static final int MAX_CHUNKS = 64;

    private final BlockSource volume;
    private final FatLayout layout;
    private final long entries;
    private final Map<Long, int[]> chunks = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, int[]> eldest) {
            return size() > MAX_CHUNKS;
        }
    };

    FatTable(BlockSource volume, FatLayout layout) {
        this.volume = volume;
        this.layout = layout;
        this.entries = layout.clusterCount() + 2;
    }

    FatKind kind() {
        return layout.kind();
    }

    /** Where cluster {@code cluster}'s entry is in the volume, for messages. */
    long entryPosition(long cluster) {
        return layout.fatOffset() + layout.kind().entryOffset(cluster);
    }

    /** The entries of one chunk, decoded (FAT32's top 4 bits masked off). */
    synchronized int[] chunk(long index) throws IOException {
        int[] cached = chunks.get(index);
        if (cached == null) {
            cached = readChunk(index);
            chunks.put(index, cached);
        }
        return cached;
    }

    private int[] readChunk(long index) throws IOException {
        long first = index * CHUNK_ENTRIES;
        int count = (int) Math.min(CHUNK_ENTRIES, entries - first);
        FatKind kind = layout.kind();
        long start = layout.fatOffset() + kind.entryOffset(first);
        int length = kind == FatKind.FAT12 ? (count * 3 + 1) / 2 : (int) kind.entryOffset(count);
        if (start + length > volume.size()) {
            throw new CorruptImage(FatLayout.NAMING, "FAT", start, "lies past the end of the volume (0x%x)"
                    .formatted(volume.size()));
        }
        ByteBuffer bytes = volume.read(start, length, ByteOrder.LITTLE_ENDIAN);
        int[] decoded = new int[count];
        for (int i = 0; i < count; i++) {
            decoded[i] = switch (kind) {
                case FAT12 -> fat12(bytes, i);
                case FAT16 -> Short.toUnsignedInt(bytes.getShort(i * 2));
                case FAT32 -> bytes.getInt(i * 4) & 0x0FFFFFFF;
            };
        }
        return decoded;
    }

    /** Two 12-bit entries share three bytes: the even one takes the low 12 bits of its word, the odd one the high. */
    private static int fat12(ByteBuffer bytes, int i) {
        int word = Short.toUnsignedInt(bytes.getShort(i * 3 / 2));
        return (i & 1) == 0 ? word & 0xFFF : word >>> 4;
    }

    /** Reads entries one after another, keeping the current chunk at hand (one per walk, not shared). */
    Cursor cursor() {
        return new Cursor();
    }

    final class Cursor {
        private long chunkIndex = -1;
        private int[] chunk;

        int entry(long cluster) throws IOException {
            long index = cluster / CHUNK_ENTRIES;
            if (index != chunkIndex) {
                chunk = chunk(index);
                chunkIndex = index;
            }
            return chunk[(int) (cluster % CHUNK_ENTRIES)];
        }
    }
}

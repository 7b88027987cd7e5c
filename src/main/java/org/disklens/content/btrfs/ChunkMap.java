package org.disklens.content.btrfs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;

/** The logical address space: chunks sorted by logical start, without overlaps; found by binary search. */
final class ChunkMap {
    /** About 256 TiB of 1 GiB chunks; each takes about 200 bytes in memory. */
    static final int MAX_CHUNKS = 1 << 18;
    private final Chunk[] chunks;

    ChunkMap(List<Chunk> unsorted) throws CorruptImage, LimitExceeded {
        if (unsorted.size() > MAX_CHUNKS) {
            throw new LimitExceeded("btrfs", "chunk tree", -1, "more than %d chunks".formatted(MAX_CHUNKS));
        }
        List<Chunk> sorted = new ArrayList<>(unsorted);
        sorted.sort(Comparator.comparingLong(Chunk::logical));
        for (int i = 1; i < sorted.size(); i++) {
            Chunk before = sorted.get(i - 1);
            Chunk chunk = sorted.get(i);
            if (chunk.logical() < before.end()) {
                throw new CorruptImage("btrfs", "chunk at logical 0x%x".formatted(chunk.logical()), -1,
                        "overlaps the chunk at logical 0x%x (0x%x bytes)".formatted(before.logical(), before.length()));
            }
        }
        this.chunks = sorted.toArray(Chunk[]::new);
    }

    /** The chunk holding logical {@code address}, or null. */
    Chunk find(long address) {
        int low = 0;
        int high = chunks.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            Chunk chunk = chunks[middle];
            if (address < chunk.logical()) {
                high = middle - 1;
            } else if (address >= chunk.end()) {
                low = middle + 1;
            } else {
                return chunk;
            }
        }
        return null;
    }

    List<Chunk> all() {
        return List.of(chunks);
    }
}

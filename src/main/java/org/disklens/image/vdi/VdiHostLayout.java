package org.disklens.image.vdi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;
import org.disklens.image.ProgressListener;
import org.disklens.io.HostExtent;

/**
 * What the runs of a VDI file are used for, for the File layout chart: pre-header and header, block map, the data
 * blocks the map uses (holes in them shown as such: a static image's unwritten blocks), blocks no entry uses, and
 * the space between the structures. Lenient: what overlaps an earlier structure or lies past the end is skipped.
 */
final class VdiHostLayout {
    static final HostRegion HEADER = new HostRegion("Pre-header and header", "#1e293b", Role.METADATA);
    static final HostRegion BLOCK_MAP = new HostRegion("Block map", "#4f46e5", Role.METADATA);
    static final HostRegion BLOCK_EXTRA = new HostRegion("Block extra data", "#818cf8", Role.METADATA);
    static final HostRegion UNUSED_BLOCKS = new HostRegion("Blocks no map entry uses", "#dc2626", Role.LEAKED);
    static final HostRegion PADDING = new HostRegion("Unused space", "#cbd5e1", Role.FREE);
    static final List<HostRegion> REGIONS = List.of(HEADER, BLOCK_MAP, BLOCK_EXTRA, HostRegion.DATA, UNUSED_BLOCKS,
            PADDING, HostRegion.HOLE);

    private final VdiImage image;
    private final VdiHeader header;
    private final long fileSize;

    VdiHostLayout(VdiImage image) {
        this.image = image;
        this.header = image.header();
        this.fileSize = image.fileSize();
    }

    private record Run(HostRegion region, long start, long end) {
    }

    void describe(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        Merger out = new Merger(sink);
        List<Run> metadata = new ArrayList<>(List.of(
                new Run(HEADER, 0, header.headerEnd()),
                new Run(BLOCK_MAP, header.blocksOffset(), header.blocksOffset() + header.blocks() * 4)));
        metadata.sort(Comparator.comparingLong(Run::start));
        long at = 0;
        long dataStart = Math.min(header.dataOffset(), fileSize);
        for (Run run : metadata) {
            long start = Math.max(run.start(), at);
            long end = Math.min(run.end(), dataStart);
            if (start >= end) {
                continue;
            }
            out.accept(PADDING, at, start);
            out.accept(run.region(), start, end);
            at = end;
        }
        out.accept(PADDING, at, dataStart);
        dataArea(out, progress);
        out.flush();
    }

    /** Each slot of the data area: a used block (its extra data, then its data), or a block nothing uses. */
    private void dataArea(Merger out, ProgressListener progress) throws IOException {
        long dataOffset = header.dataOffset();
        if (dataOffset >= fileSize) {
            return;
        }
        long slot = header.slotSize();
        long slots = Math.ceilDiv(fileSize - dataOffset, slot);
        long[] used = new long[(int) Math.ceilDiv(slots, 64)];
        image.blockMap().forEach((block, entry) -> {
            if (BlockMap.isAllocated(entry) && entry < slots) {
                used[(int) (entry >>> 6)] |= 1L << entry;
            }
        }, progress);
        long index = 0;
        while (index < slots) {
            progress.checkCancelled();
            boolean inUse = (used[(int) (index >>> 6)] & 1L << index) != 0;
            long runEnd = index + 1;
            while (runEnd < slots && ((used[(int) (runEnd >>> 6)] & 1L << runEnd) != 0) == inUse) {
                runEnd++;
            }
            long start = dataOffset + index * slot;
            long end = Math.min(fileSize, dataOffset + runEnd * slot);
            if (!inUse) {
                out.accept(UNUSED_BLOCKS, start, end);
            } else if (header.blockExtra() == 0) {
                storedOrHoles(out, start, end);
            } else {
                for (long slotStart = start; slotStart < end; slotStart += slot) {
                    long extraEnd = Math.min(end, slotStart + header.blockExtra());
                    out.accept(BLOCK_EXTRA, slotStart, extraEnd);
                    storedOrHoles(out, extraEnd, Math.min(end, slotStart + slot));
                }
            }
            index = runEnd;
        }
    }

    /** Data, split where the file has holes (static images leave unwritten blocks as holes). */
    private void storedOrHoles(Merger out, long start, long end) throws IOException {
        long at = start;
        while (at < end) {
            HostExtent extent = image.source().extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), end - at) : end - at;
            out.accept(extent.data() ? HostRegion.DATA : HostRegion.HOLE, at, at + length);
            at += length;
        }
    }

    /** Joins adjacent runs of one region before handing them on. */
    private static final class Merger {
        private final HostRegion.Sink sink;
        private HostRegion region;
        private long start;
        private long end;

        Merger(HostRegion.Sink sink) {
            this.sink = sink;
        }

        void accept(HostRegion next, long from, long to) {
            if (from >= to) {
                return;
            }
            if (next == region && from == end) {
                end = to;
                return;
            }
            flush();
            region = next;
            start = from;
            end = to;
        }

        void flush() {
            if (region != null) {
                sink.accept(region, start, end - start);
                region = null;
            }
        }
    }
}

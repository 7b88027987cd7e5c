package org.disklens.image.vhd;

import java.io.IOException;
import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.ProgressListener;
import org.disklens.io.HostExtent;

/**
 * Reports what each run of a VHD file holds, in file order: footers, dynamic header, BAT, parent locator data,
 * each block's sector bitmap and data (sectors its bitmap marks as not in use apart), unused space between them,
 * and holes of the host file inside data and unused space. Lenient: what overlaps a run already reported is
 * clipped ({@link VhdCheck} reports the overlap).
 */
final class VhdHostWalk {
    private final VhdImage image;
    private final HostRegion.Sink sink;
    private final ProgressListener progress;
    private long cursor;
    private long fileSize;

    VhdHostWalk(VhdImage image, HostRegion.Sink sink, ProgressListener progress) {
        this.image = image;
        this.sink = sink;
        this.progress = progress;
    }

    void run() throws IOException {
        fileSize = image.source().size();
        List<VhdLayout.Structure> metadata = VhdLayout.metadata(image);
        if (image.dynamic().isEmpty()) {
            stored(HostRegion.DATA, 0, image.footerOffset());
            for (VhdLayout.Structure structure : metadata) {
                emit(structure.region(), structure.offset(), structure.end());
            }
        } else {
            walkDynamic(image.dynamic().get().table(), metadata);
        }
        stored(VhdRegions.FREE, cursor, fileSize);
        progress.progress(fileSize, fileSize);
    }

    /** Blocks and metadata merged in file order. */
    private void walkDynamic(BlockTable table, List<VhdLayout.Structure> metadata) throws IOException {
        long[] blocks = VhdLayout.blocksByHostOffset(table, progress);
        int next = 0;
        for (long packed : blocks) {
            int index = VhdLayout.indexOf(packed);
            long start = table.bitmapOffset(index);
            while (next < metadata.size() && metadata.get(next).offset() <= start) {
                VhdLayout.Structure structure = metadata.get(next++);
                emit(structure.region(), structure.offset(), structure.end());
            }
            block(table, index);
            progress.checkCancelled();
            progress.progress(cursor, fileSize);
        }
        for (VhdLayout.Structure structure : metadata.subList(next, metadata.size())) {
            emit(structure.region(), structure.offset(), structure.end());
        }
    }

    private void block(BlockTable table, int index) throws IOException {
        long bitmapStart = table.bitmapOffset(index);
        emit(VhdRegions.BITMAPS, bitmapStart, bitmapStart + table.bitmapBytes());
        long dataStart = table.dataOffset(index);
        byte[] bits = table.bitmap(index);
        long sectors = table.blockSize() >>> 9;
        long sector = 0;
        while (sector < sectors) {
            boolean inUse = BlockTable.bit(bits, sector);
            long end = BlockTable.sameBitsUntil(bits, sector, sectors, inUse);
            stored(inUse ? HostRegion.DATA : VhdRegions.UNUSED_SECTORS, dataStart + (sector << 9), dataStart + (end << 9));
            sector = end;
        }
    }

    /** {@code [start, end)} as {@code region} where the host file stores it, and as a hole where it does not. */
    private void stored(HostRegion region, long start, long end) throws IOException {
        long at = Math.max(start, cursor);
        long stop = Math.min(end, fileSize);
        while (at < stop) {
            HostExtent extent = image.source().extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), stop - at) : stop - at;
            emit(extent.data() ? region : VhdRegions.HOLE, at, at + length);
            at += length;
        }
    }

    /** Reports {@code [start, end)} clipped to what is not reported yet; a gap before it is unused space. */
    private void emit(HostRegion region, long start, long end) throws IOException {
        long from = Math.max(start, cursor);
        long to = Math.min(end, fileSize);
        if (to <= from) {
            return;
        }
        if (from > cursor) {
            long gapEnd = from;
            stored(VhdRegions.FREE, cursor, gapEnd);
        }
        sink.accept(region, from, to - from);
        cursor = to;
    }
}

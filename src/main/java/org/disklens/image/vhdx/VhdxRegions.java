package org.disklens.image.vhdx;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.disklens.image.HostRegion;
import org.disklens.image.HostRegion.Role;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * What the runs of a VHDX file are used for, in the File layout chart's words and colours (legend order), and the walk
 * that reports them: the structures the headers and region table place, every sector bitmap and payload block the
 * BAT places, and the rest of the file as free space (or holes, where the host stores nothing). Lenient: blocks that
 * lie outside the file or over another structure are skipped ({@code check} reports them).
 */
final class VhdxRegions {
    static final HostRegion HEADERS = new HostRegion("File identifier and headers", "#1e293b", Role.METADATA);
    static final HostRegion REGION_TABLES = new HostRegion("Region tables", "#475569", Role.METADATA);
    static final HostRegion LOG = new HostRegion("Log", "#d97706", Role.METADATA);
    static final HostRegion BAT = new HostRegion("BAT", "#4f46e5", Role.METADATA);
    static final HostRegion METADATA = new HostRegion("Metadata", "#0d9488", Role.METADATA);
    static final HostRegion SECTOR_BITMAPS = new HostRegion("Sector bitmaps", "#10b981", Role.METADATA);
    static final HostRegion DATA = HostRegion.DATA;
    static final HostRegion FREE = new HostRegion("Free space", "#cbd5e1", Role.FREE);
    static final HostRegion HOLE = HostRegion.HOLE;
    static final List<HostRegion> ALL = List.of(HEADERS, REGION_TABLES, LOG, BAT, METADATA, SECTOR_BITMAPS, DATA, FREE, HOLE);
    /** Placed runs kept while walking: one per stored block, so a few MiB for the largest files. */
    private static final long MAX_RUNS = 4L << 20;

    private VhdxRegions() {
    }

    static void describe(VhdxImage image, HostRegion.Sink sink, ProgressListener progress) throws IOException {
        BlockSource file = image.source();
        long size = file.size();
        TreeMap<Long, Object[]> placed = new TreeMap<>();
        place(placed, size, HEADERS, 0, RegionTable.FIRST_OFFSET);
        place(placed, size, REGION_TABLES, RegionTable.FIRST_OFFSET, 2L * RegionTable.SIZE);
        VhdxHeader header = image.header();
        place(placed, size, LOG, header.logOffset(), header.logLength());
        place(placed, size, BAT, image.batRegion().fileOffset(), image.batRegion().length());
        place(placed, size, METADATA, image.metadataRegion().fileOffset(), image.metadataRegion().length());
        Bat bat = image.bat();
        long blockSize = image.metadata().blockSize();
        long entries = bat.entries();
        for (long index = 0; index < entries; index++) {
            if (index % 65536 == 0) {
                progress.checkCancelled();
                progress.progress(index, entries);
            }
            long entry = bat.get(index);
            int state = Bat.state(entry);
            if (bat.isBitmapIndex(index)) {
                if (state == Bat.SB_PRESENT) {
                    place(placed, size, SECTOR_BITMAPS, Bat.fileOffset(entry), VhdxImage.SECTOR_BITMAP_BLOCK);
                }
            } else if (state == Bat.FULLY_PRESENT || state == Bat.PARTIALLY_PRESENT) {
                long block = index - index / (bat.chunkRatio() + 1);
                long length = Math.min(blockSize, image.virtualSize() - block * blockSize);
                place(placed, size, DATA, Bat.fileOffset(entry), length);
            }
            if (placed.size() > MAX_RUNS) {
                throw new LimitExceeded("vhdx", "host layout", -1, "more than %d stored blocks".formatted(MAX_RUNS));
            }
        }
        long at = 0;
        for (Map.Entry<Long, Object[]> run : placed.entrySet()) {
            long start = run.getKey();
            long end = (Long) run.getValue()[0];
            unplaced(file, sink, at, start);
            sink.accept((HostRegion) run.getValue()[1], start, end - start);
            at = end;
        }
        unplaced(file, sink, at, size);
        progress.progress(entries, entries);
    }

    /** Adds a run unless it leaves the file or overlaps what is placed already (the first claim wins). */
    private static void place(TreeMap<Long, Object[]> placed, long size, HostRegion region, long start, long length) {
        long end = start + length;
        if (length <= 0 || start < 0 || end > size || end < start) {
            return;
        }
        Map.Entry<Long, Object[]> before = placed.floorEntry(end - 1);
        if (before != null && (Long) before.getValue()[0] > start) {
            return;
        }
        Map.Entry<Long, Object[]> previous = placed.lowerEntry(start);
        if (previous != null && (Long) previous.getValue()[0] == start && previous.getValue()[1] == region) {
            placed.put(previous.getKey(), new Object[] {end, region}); // merge with an adjacent run of the same kind
            return;
        }
        placed.put(start, new Object[] {end, region});
    }

    /** A gap between structures: free space where the host stores it, a hole where it does not. */
    private static void unplaced(BlockSource file, HostRegion.Sink sink, long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            HostExtent extent = file.extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), to - at) : to - at;
            sink.accept(extent.data() ? FREE : HOLE, at, length);
            at += length;
        }
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.disklens.image.CheckReport;
import org.disklens.image.ProgressListener;

/**
 * The read-only check of a VMDK's sparse extents: every grain table and grain must lie inside its file,
 * grain tables must not overlap each other or the grain directory, and a redundant grain directory must
 * describe the same grains. Messages use qemu-img's words where it has them.
 */
final class VmdkCheck {
    private final VmdkImage image;
    private final ProgressListener progress;
    private final List<String> messages = new ArrayList<>();
    private long corruptions;

    VmdkCheck(VmdkImage image, ProgressListener progress) {
        this.image = image;
        this.progress = progress;
    }

    CheckReport run() throws IOException {
        long guestStart = 0;
        for (Extent extent : image.extents()) {
            if (extent instanceof SparseExtent sparse) {
                checkExtent(sparse, guestStart);
            }
            guestStart += extent.length();
        }
        return new CheckReport(0, corruptions, 0, 0, 0, 0, 0, 0, List.copyOf(messages));
    }

    private void checkExtent(SparseExtent extent, long guestStart) throws IOException {
        long fileSize = extent.source().size();
        IntBuffer directory = extent.grainDirectory();
        long tableBytes = extent.gtesPerGt() * 4L;
        TreeMap<Long, Long> usedRanges = new TreeMap<>();
        usedRanges.put(extent.gdHostOffset(), extent.gdHostOffset() + directory.limit() * 4L);
        for (int index = 0; index < directory.limit(); index++) {
            progress.checkCancelled();
            long tableOffset = Integer.toUnsignedLong(directory.get(index)) << 9;
            if (tableOffset == 0) {
                continue;
            }
            if (tableOffset + tableBytes > fileSize) {
                corruption("ERROR: grain table %d of %s points after EOF".formatted(index, extent.fileName()));
                continue;
            }
            if (overlaps(usedRanges, tableOffset, tableOffset + tableBytes)) {
                corruption("ERROR: grain table %d of %s at 0x%x overlaps another table".formatted(index, extent.fileName(), tableOffset));
            }
            usedRanges.put(tableOffset, tableOffset + tableBytes);
            checkGrains(extent, extent.grainTable(index, tableOffset >> 9), index, guestStart, fileSize);
            progress.progress(index + 1, directory.limit());
        }
        if (extent.rgdHostOffset() > 0) {
            checkRedundantDirectory(extent, fileSize);
        }
    }

    private void checkGrains(SparseExtent extent, IntBuffer table, int tableIndex, long guestStart, long fileSize) {
        for (int entry = 0; entry < table.limit(); entry++) {
            long grain = Integer.toUnsignedLong(table.get(entry));
            boolean allocated = grain > 1 || (grain == 1 && !extent.zeroedGrains());
            if (allocated && grain << 9 >= fileSize) {
                long guestOffset = guestStart + ((long) tableIndex * extent.gtesPerGt() + entry) * extent.grainBytes();
                corruption("ERROR: cluster offset for sector %d points after EOF".formatted(guestOffset >> 9));
            }
        }
    }

    private void checkRedundantDirectory(SparseExtent extent, long fileSize) throws IOException {
        IntBuffer primary = extent.grainDirectory();
        long redundantOffset = extent.rgdHostOffset();
        if (redundantOffset + primary.limit() * 4L > fileSize) {
            corruption("ERROR: the redundant grain directory of %s points after EOF".formatted(extent.fileName()));
            return;
        }
        IntBuffer redundant = extent.source().read(redundantOffset, primary.limit() * 4, ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        long tableBytes = extent.gtesPerGt() * 4L;
        for (int index = 0; index < primary.limit(); index++) {
            long primaryTable = Integer.toUnsignedLong(primary.get(index)) << 9;
            long redundantTable = Integer.toUnsignedLong(redundant.get(index)) << 9;
            if ((primaryTable == 0) != (redundantTable == 0)) {
                corruption("ERROR: grain directory entry %d of %s and its redundant copy disagree".formatted(index, extent.fileName()));
            } else if (primaryTable != 0 && primaryTable + tableBytes <= fileSize && redundantTable + tableBytes <= fileSize) {
                IntBuffer one = extent.source().read(primaryTable, (int) tableBytes, ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                IntBuffer two = extent.source().read(redundantTable, (int) tableBytes, ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                if (!one.equals(two)) {
                    corruption("ERROR: grain table %d of %s and its redundant copy disagree".formatted(index, extent.fileName()));
                }
            }
        }
    }

    private static boolean overlaps(TreeMap<Long, Long> ranges, long start, long end) {
        var before = ranges.floorEntry(end - 1);
        return before != null && before.getValue() > start;
    }

    private void corruption(String message) {
        messages.add(message);
        corruptions++;
    }
}

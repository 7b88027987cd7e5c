package org.disklens.image.vhd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CheckReport;
import org.disklens.image.ProgressListener;

/**
 * DiskLens's own read-only check of a VHD (qemu-img has none for vpc): the damage found at open (checksums qemu does
 * not check, the end footer of a dynamic disk, parent locators), a fixed disk whose data is shorter than the disk,
 * metadata structures that overlap, and blocks that overlap the metadata or each other. Blocks past the end of the
 * file stop the open already, as in qemu. The counters are qemu-img's: blocks as clusters (the disk's blocks, those
 * allocated, those not stored right after the previous one in guest order), and the image's end (where the footer
 * belongs).
 */
final class VhdCheck {
    private static final int MAX_MESSAGES = 1000;

    private final VhdImage image;
    private final ProgressListener progress;
    private final List<String> messages = new ArrayList<>();
    private long corruptions;

    VhdCheck(VhdImage image, ProgressListener progress) {
        this.image = image;
        this.progress = progress;
    }

    CheckReport run() throws IOException {
        image.damage().forEach(problem -> corruption("ERROR: " + problem));
        long fileSize = image.source().size();
        if (image.dynamic().isEmpty()) {
            if (image.virtualSize() > image.footerOffset()) {
                corruption("ERROR: the disk is %d bytes, but only %d are stored before the footer".formatted(
                        image.virtualSize(), image.footerOffset()));
            }
            return new CheckReport(0, corruptions, 0, fileSize, 0, 0, 0, 0, List.copyOf(messages));
        }
        VhdImage.Dynamic dynamic = image.dynamic().get();
        BlockTable table = dynamic.table();
        List<VhdLayout.Structure> metadata = VhdLayout.metadata(image);
        checkMetadataOverlaps(metadata);
        checkBlocks(table, metadata, fileSize);
        long diskBlocks = Math.ceilDiv(image.virtualSize(), table.blockSize());
        long allocated = 0;
        long fragmented = 0;
        long expected = -1;
        for (long index = 0; index < diskBlocks; index++) {
            if (table.allocated(index)) {
                allocated++;
                fragmented += expected >= 0 && table.bitmapOffset(index) != expected ? 1 : 0;
                expected = table.dataOffset(index) + table.blockSize();
            }
        }
        return new CheckReport(0, corruptions, 0, table.freeDataBlockOffset() + VhdFooter.SIZE, diskBlocks, allocated,
                fragmented, 0, List.copyOf(messages));
    }

    private void checkMetadataOverlaps(List<VhdLayout.Structure> metadata) {
        for (int i = 0; i < metadata.size(); i++) {
            for (int j = i + 1; j < metadata.size(); j++) {
                VhdLayout.Structure one = metadata.get(i);
                VhdLayout.Structure two = metadata.get(j);
                if (one.overlaps(two.offset(), two.end())) {
                    corruption("ERROR: the %s at 0x%x overlaps the %s at 0x%x".formatted(one.name(), one.offset(),
                            two.name(), two.offset()));
                }
            }
        }
    }

    private void checkBlocks(BlockTable table, List<VhdLayout.Structure> metadata, long fileSize) {
        long[] blocks = VhdLayout.blocksByHostOffset(table, progress);
        long blockBytes = table.bitmapBytes() + table.blockSize();
        long previousEnd = -1;
        int previousIndex = -1;
        for (int i = 0; i < blocks.length; i++) {
            if ((i & 0xfff) == 0) {
                progress.checkCancelled();
                progress.progress(i, blocks.length);
            }
            int index = VhdLayout.indexOf(blocks[i]);
            long start = table.bitmapOffset(index);
            long end = start + blockBytes;
            if (end > fileSize) {
                corruption("ERROR: block %d at 0x%x runs past the end of the file (0x%x)".formatted(index, start, fileSize));
            }
            for (VhdLayout.Structure structure : metadata) {
                if (structure.overlaps(start, end)) {
                    corruption("ERROR: block %d (guest offset 0x%x) at 0x%x overlaps the %s at 0x%x".formatted(index,
                            index * table.blockSize(), start, structure.name(), structure.offset()));
                }
            }
            if (start < previousEnd) {
                corruption("ERROR: block %d at 0x%x overlaps block %d".formatted(index, start, previousIndex));
            }
            if (end > previousEnd) {
                previousEnd = end;
                previousIndex = index;
            }
        }
        progress.progress(blocks.length, blocks.length);
    }

    /** Counts every problem; keeps the first {@link #MAX_MESSAGES} messages (a hostile BAT can repeat one a million times). */
    private void corruption(String message) {
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        } else if (messages.size() == MAX_MESSAGES) {
            messages.add("ERROR: more problems follow; only the first %d are listed".formatted(MAX_MESSAGES));
        }
        corruptions++;
    }
}

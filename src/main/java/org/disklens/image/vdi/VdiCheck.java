package org.disklens.image.vdi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.CheckReport;
import org.disklens.image.ProgressListener;

/**
 * The read-only check of a VDI's block map: qemu's {@code vdi_co_check} (entries past the block count, data blocks
 * used twice, the allocated count against the header's), in its words, and two checks qemu does not make: data
 * blocks past the end of the file, and (when the counts agree) entries past the allocated count, where the next
 * block a writer appends would land on them. Counts blocks as qemu-img counts clusters (total, allocated,
 * fragmented: not right after the previous allocated block) and the end of the used data area.
 */
final class VdiCheck {
    private static final int MAX_MESSAGES = 1000;

    private final VdiImage image;
    private final VdiHeader header;
    private final List<String> messages = new ArrayList<>();
    private long corruptions;

    VdiCheck(VdiImage image) {
        this.image = image;
        this.header = image.header();
    }

    CheckReport run(ProgressListener progress) throws IOException {
        long blocks = header.blocks();
        long[] used = new long[(int) Math.ceilDiv(blocks, 64)];
        List<long[]> pastAllocated = new ArrayList<>();
        long[] counts = new long[4]; // allocated, fragmented, highest data block + 1, past the allocated count
        long[] previous = {-1};
        image.blockMap().forEach((block, entry) -> {
            if (!BlockMap.isAllocated(entry)) {
                return;
            }
            if (entry >= blocks) {
                corruption("ERROR: block index %d too large, is %d".formatted(block, entry));
                return;
            }
            counts[0]++;
            if (previous[0] >= 0 && entry != previous[0] + 1) {
                counts[1]++;
            }
            previous[0] = entry;
            counts[2] = Math.max(counts[2], entry + 1);
            int word = (int) (entry >>> 6);
            long bit = 1L << entry;
            if ((used[word] & bit) != 0) {
                corruption("ERROR: block index %d also used by %d".formatted(entry, block));
                return;
            }
            used[word] |= bit;
            long slotEnd = header.dataOffset() + (entry + 1) * header.slotSize();
            if (slotEnd > image.fileSize()) {
                corruption("ERROR: block %d: data block %d at 0x%x lies past the end of the file (0x%x)"
                        .formatted(block, entry, image.blockHostOffset(entry), image.fileSize()));
            } else if (entry >= header.blocksAllocated()) {
                counts[3]++;
                if (pastAllocated.size() < MAX_MESSAGES) {
                    pastAllocated.add(new long[] {block, entry});
                }
            }
        }, progress);
        if (counts[0] != header.blocksAllocated()) {
            corruption("ERROR: allocated blocks mismatch, is %d, should be %d".formatted(counts[0], header.blocksAllocated()));
        } else if (counts[3] > 0) {
            corruptions += counts[3] - pastAllocated.size();
            for (long[] past : pastAllocated) {
                corruption("ERROR: block %d uses data block %d, past the %d blocks the header counts as allocated: "
                        .formatted(past[0], past[1], header.blocksAllocated()) + "a new block would overwrite it");
            }
        }
        long imageEnd = header.dataOffset() + counts[2] * header.slotSize();
        return new CheckReport(0, corruptions, 0, imageEnd, blocks, counts[0], counts[1], 0, List.copyOf(messages));
    }

    private void corruption(String message) {
        corruptions++;
        if (messages.size() < MAX_MESSAGES) {
            messages.add(message);
        }
    }
}

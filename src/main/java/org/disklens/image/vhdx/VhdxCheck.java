package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.disklens.image.CheckReport;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.ProgressListener;

/**
 * The read-only check of a VHDX: what qemu-img checks (every stored payload block inside the file and clear of the
 * header section, log, BAT and metadata region, in qemu-img's words), and what it does not: sector bitmap blocks,
 * states a disk of this type may not have, blocks overlapping each other, a damaged header copy or a region table
 * copy that differs. Each finding is a corruption; a log that had to be replayed in memory is reported, not counted.
 */
final class VhdxCheck {
    private static final long MAX_STORED = 64L << 20;
    private static final int MAX_MESSAGES = 1000;

    private final VhdxImage image;
    private final ProgressListener progress;
    private final List<String> messages = new ArrayList<>();
    private long corruptions;

    VhdxCheck(VhdxImage image, ProgressListener progress) {
        this.image = image;
        this.progress = progress;
    }

    CheckReport run() throws IOException {
        checkHeaders();
        checkEntries();
        return new CheckReport(0, corruptions, 0, 0, 0, 0, 0, 0, List.copyOf(messages));
    }

    private void checkHeaders() throws IOException {
        VhdxHeader[] headers = image.headers();
        for (int i = 0; i < 2; i++) {
            if (!headers[i].valid()) {
                corruption("VHDX header %d at 0x%x is not valid (%s); the other copy is in use"
                        .formatted(i + 1, VhdxImage.headerOffset(i), headers[i].problem()));
            }
        }
        if (image.dirty()) {
            messages.add("The log holds updates not yet written to their places; they were replayed in memory "
                    + "(qemu-img check -r all would write them)");
        }
        try {
            RegionTable copy = RegionTable.parse(image.source().read(RegionTable.SECOND_OFFSET, RegionTable.SIZE,
                    ByteOrder.LITTLE_ENDIAN), RegionTable.SECOND_OFFSET);
            if (!copy.equals(image.regions())) {
                corruption("VHDX region table copy at 0x%x differs from the table at 0x%x"
                        .formatted(RegionTable.SECOND_OFFSET, RegionTable.FIRST_OFFSET));
            }
        } catch (ImageException damaged) {
            corruption("VHDX region table copy: " + damaged.getMessage());
        }
    }

    private void checkEntries() throws IOException {
        Bat bat = image.bat();
        VhdxMetadata metadata = image.metadata();
        long fileSize = image.source().size();
        long blockSize = metadata.blockSize();
        List<long[]> stored = new ArrayList<>();
        for (long index = 0; index < bat.entries(); index++) {
            if (index % 65536 == 0) {
                progress.checkCancelled();
                progress.progress(index, bat.entries());
            }
            long entry = bat.get(index);
            int state = Bat.state(entry);
            long offset = Bat.fileOffset(entry);
            if (bat.isBitmapIndex(index)) {
                if (state == Bat.SB_PRESENT) {
                    if (!metadata.hasParent()) {
                        corruption("VHDX BAT entry %d: a sector bitmap block in a %s disk".formatted(index, image.subformat()));
                    }
                    checkPlace(index, offset, VhdxImage.SECTOR_BITMAP_BLOCK, fileSize, stored, "sector bitmap");
                } else if (state != Bat.NOT_PRESENT) {
                    corruption("VHDX BAT entry %d: reserved sector bitmap state %d".formatted(index, state));
                }
                continue;
            }
            long block = index - index / (bat.chunkRatio() + 1);
            long length = Math.min(blockSize, metadata.virtualSize() - block * blockSize);
            switch (state) {
                case Bat.FULLY_PRESENT -> checkPlace(index, offset, length, fileSize, stored, "payload");
                case Bat.PARTIALLY_PRESENT -> {
                    if (!metadata.hasParent()) {
                        corruption("VHDX BAT entry %d: a partially present block in a %s disk".formatted(index, image.subformat()));
                    }
                    checkPlace(index, offset, length, fileSize, stored, "payload");
                    checkBitmapOf(index, block);
                }
                case Bat.NOT_PRESENT, Bat.UNDEFINED, Bat.ZERO, Bat.UNMAPPED, Bat.UNMAPPED_DRAFT -> {
                }
                default -> corruption("VHDX BAT entry %d: reserved payload state %d".formatted(index, state));
            }
        }
        checkOverlaps(stored);
        progress.progress(bat.entries(), bat.entries());
    }

    private void checkBitmapOf(long index, long block) throws IOException {
        try {
            image.bitmapBlock(block / image.bat().chunkRatio());
        } catch (ImageException broken) {
            corruption("VHDX BAT entry %d: %s".formatted(index, broken.getMessage()));
        }
    }

    /** qemu-img's checks and words for a stored block, then the structures it must stay clear of. */
    private void checkPlace(long index, long offset, long length, long fileSize, List<long[]> stored, String kind)
            throws ImageException {
        if (offset >= fileSize) {
            corruption("VHDX BAT entry %d start offset %d points after end of file (%d). Image has probably been truncated."
                    .formatted(index, offset, fileSize));
            return;
        }
        if (offset + length > fileSize) {
            corruption("VHDX BAT entry %d end offset %d points after end of file (%d). Image has probably been truncated."
                    .formatted(index, offset + length - 1, fileSize));
            return;
        }
        for (long[] structure : image.structures()) {
            if (offset < structure[0] + structure[1] && offset + length > structure[0]) {
                corruption("VHDX BAT entry %d: %s block at %d overlaps the %s".formatted(index, kind, offset,
                        image.structureName(structure[0])));
                return;
            }
        }
        if (stored.size() >= MAX_STORED) {
            throw new LimitExceeded("vhdx", "BAT", image.bat().hostOffset(), "more than %d stored blocks".formatted(MAX_STORED));
        }
        stored.add(new long[] {offset, offset + length, index});
    }

    private void checkOverlaps(List<long[]> stored) {
        long[][] sorted = stored.toArray(long[][]::new);
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        long[] reach = null;
        for (long[] block : sorted) {
            if (reach != null && block[0] < reach[1]) {
                corruption("VHDX BAT entries %d and %d: their blocks overlap at %d".formatted(reach[2], block[2], block[0]));
            }
            if (reach == null || block[1] > reach[1]) {
                reach = block;
            }
        }
    }

    /** Counts every finding; keeps the first {@value #MAX_MESSAGES} lines. */
    private void corruption(String message) {
        if (corruptions < MAX_MESSAGES) {
            messages.add(message);
        } else if (corruptions == MAX_MESSAGES) {
            messages.add("(further findings are counted, not listed)");
        }
        corruptions++;
    }
}

package org.disklens.image.vhd;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.disklens.image.HostRegion;
import org.disklens.image.ProgressListener;

/**
 * Where a VHD's structures lie in its file, for {@link VhdCheck} and {@link VhdHostWalk}: the few metadata structures
 * (footers, dynamic header, BAT, parent locator data) and the allocated blocks sorted by where they are stored.
 */
final class VhdLayout {
    /** One metadata structure: its name in messages, its region in the chart, where it lies. */
    record Structure(String name, HostRegion region, long offset, long length) {
        long end() {
            return offset + length;
        }

        boolean overlaps(long start, long end) {
            return start < end() && offset < end;
        }
    }

    private VhdLayout() {
    }

    /** The image's metadata structures inside its file, sorted by offset (parts past the end cut off). */
    static List<Structure> metadata(VhdImage image) throws IOException {
        long fileSize = image.source().size();
        List<Structure> structures = new ArrayList<>();
        long endOffset = fileSize - VhdFooter.SIZE;
        boolean endFooter = VhdFooter.hasCookie(image.source().read(endOffset, 8, ByteOrder.BIG_ENDIAN));
        if (image.dynamic().isEmpty()) {
            structures.add(new Structure("footer", VhdRegions.FOOTER, endOffset, VhdFooter.SIZE));
            return structures;
        }
        VhdImage.Dynamic dynamic = image.dynamic().get();
        structures.add(new Structure("footer copy", VhdRegions.FOOTER_COPY, 0, VhdFooter.SIZE));
        structures.add(new Structure("dynamic disk header", VhdRegions.DYNAMIC_HEADER, dynamic.headerOffset(),
                DynamicHeader.SIZE));
        structures.add(new Structure("BAT", VhdRegions.BAT, dynamic.table().tableOffset(), dynamic.table().tableBytes()));
        for (VhdImage.Locator locator : dynamic.locators()) {
            ParentLocator entry = locator.entry();
            if (entry.dataOffset() >= 0 && entry.dataOffset() < fileSize && entry.reservedBytes() > 0) {
                structures.add(new Structure("data of parent locator %d (%s)".formatted(locator.index(),
                        entry.platformName()), VhdRegions.PARENT_LOCATORS, entry.dataOffset(),
                        Math.min(entry.reservedBytes(), fileSize - entry.dataOffset())));
            }
        }
        if (endFooter) {
            structures.add(new Structure("footer", VhdRegions.FOOTER, endOffset, VhdFooter.SIZE));
        }
        List<Structure> inFile = new ArrayList<>();
        for (Structure structure : structures) {
            long end = Math.min(structure.end(), fileSize);
            if (structure.offset() < end) {
                inFile.add(new Structure(structure.name(), structure.region(), structure.offset(), end - structure.offset()));
            }
        }
        inFile.sort(Comparator.comparingLong(Structure::offset));
        return inFile;
    }

    /**
     * The allocated blocks as {@code entry << 31 | index}, sorted: by the sector where each is stored, then by index.
     * (An index fits 31 bits: qemu's limit is 2^29 entries.)
     */
    static long[] blocksByHostOffset(BlockTable table, ProgressListener progress) {
        int count = 0;
        for (int index = 0; index < table.entryCount(); index++) {
            count += table.allocated(index) ? 1 : 0;
        }
        long[] blocks = new long[count];
        int at = 0;
        for (int index = 0; index < table.entryCount(); index++) {
            if ((index & 0xffff) == 0) {
                progress.checkCancelled();
            }
            if (table.allocated(index)) {
                blocks[at++] = table.entry(index) << 31 | index;
            }
        }
        Arrays.sort(blocks);
        return blocks;
    }

    static int indexOf(long packed) {
        return (int) (packed & 0x7fffffffL);
    }
}

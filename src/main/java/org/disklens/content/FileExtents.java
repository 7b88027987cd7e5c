package org.disklens.content;

import java.util.List;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * A file's bytes as a list of runs on its volume, in file order: how ISO 9660 and UDF keep them. {@link #map}
 * finds the run of a file offset by binary search, so a file of many extents copies in linear time.
 */
public final class FileExtents {
    /** {@code length} bytes at {@code volumeOffset}; {@code sparse} runs have no place and read as zeroes. */
    public record Extent(long volumeOffset, long length, boolean sparse) {
    }

    private final List<Extent> extents;
    private final long[] starts;

    public FileExtents(List<Extent> extents) {
        this.extents = List.copyOf(extents);
        this.starts = new long[extents.size()];
        long at = 0;
        for (int i = 0; i < extents.size(); i++) {
            starts[i] = at;
            at += extents.get(i).length();
        }
    }

    public List<Extent> extents() {
        return extents;
    }

    /** The run at {@code fileOffset}: data on {@code volume}, or zero for a sparse run or past the last extent. */
    public Mapping map(BlockSource volume, long fileOffset, long maxLength) {
        int index = indexOf(fileOffset);
        if (index < 0) {
            return new Mapping.Zero(maxLength);
        }
        Extent extent = extents.get(index);
        long into = fileOffset - starts[index];
        long length = Math.min(maxLength, extent.length() - into);
        return extent.sparse() ? new Mapping.Zero(length) : new Mapping.Data(volume, extent.volumeOffset() + into, length);
    }

    private int indexOf(long fileOffset) {
        int low = 0;
        int high = extents.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (fileOffset < starts[middle]) {
                high = middle - 1;
            } else if (fileOffset >= starts[middle] + extents.get(middle).length()) {
                low = middle + 1;
            } else {
                return middle;
            }
        }
        return -1;
    }
}

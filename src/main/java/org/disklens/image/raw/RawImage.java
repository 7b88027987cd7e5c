package org.disklens.image.raw;

import java.io.IOException;
import org.disklens.image.DiskImage;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * A raw image. Its allocation map is the file's own: holes ({@code SEEK_HOLE}) read as zeroes and are
 * reported as zero runs at their host offset, as qemu-img does.
 */
public final class RawImage implements DiskImage {
    private final BlockSource source;
    private final long virtualSize;

    public RawImage(BlockSource source) throws IOException {
        this.source = source;
        this.virtualSize = source.size();
    }

    @Override
    public String format() {
        return "raw";
    }

    @Override
    public BlockSource source() {
        return source;
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    @Override
    public boolean isPlainFile() {
        return true;
    }

    @Override
    public Mapping map(long guestOffset, long maxLength) throws IOException {
        return Mapping.ofPlainFile(source, guestOffset, maxLength);
    }
}

package org.disklens.image.raw;

import java.io.IOException;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/** Raw images: the file is the disk. Claims anything, with the lowest score, as qemu's probe does. */
public final class RawFormat implements ImageFormat {
    @Override
    public String name() {
        return "raw";
    }

    @Override
    public int probe(BlockSource source) {
        return 1;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return new RawImage(source);
    }
}

package org.disklens.image.raw;

import java.io.IOException;
import java.nio.file.Path;
import org.disklens.image.ImageWriter;
import org.disklens.image.Preallocation;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;

/**
 * Writes a raw image: each window's data units at their own offset, from the workers in parallel (plain
 * positional writes need no order). Zero units are never written, so they stay holes in a file that is given its
 * full length up front; {@code preallocation=full} or {@code -S 0} write them too, {@code falloc} reserves the
 * blocks afterwards.
 */
final class RawWriter implements ImageWriter {
    private final RawConfig config;
    private final TargetFiles.TargetFile file;
    private final long size;
    private final int unitSize;

    RawWriter(RawConfig config, TargetFiles outputs, Path target, long size) throws IOException {
        this.config = config;
        this.size = size;
        this.file = outputs.create(target);
        this.unitSize = config.sparseSize() == 0 ? WriteWindow.SIZE
                : Integer.highestOneBit((int) config.sparseSize() * 2 - 1);
        file.setLength(size);
    }

    @Override
    public int unitSize() {
        return unitSize;
    }

    @Override
    public boolean parallel() {
        return true;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0 || config.preallocation() == Preallocation.FULL;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        window.forEachDataSlice((guestOffset, bytes) -> FileWrites.writeFully(file.channel(), bytes, guestOffset));
    }

    @Override
    public void finish() throws IOException {
        if (config.preallocation() == Preallocation.FALLOC) {
            FileWrites.fallocate(file.tempPath(), 0, size);
        }
    }
}

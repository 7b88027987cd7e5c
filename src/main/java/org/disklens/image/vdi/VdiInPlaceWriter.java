package org.disklens.image.vdi;

import java.io.IOException;
import org.disklens.image.ImageWriter;
import org.disklens.image.Preallocation;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;

/**
 * Writes a VDI whose blocks all have their place from the start, as qemu creates a static one: block {@code i} is
 * data block {@code i}, the file has its full length at once, and only the data is written, from the workers in
 * parallel; zero runs stay holes (a static image reads them through the file, as qemu does). {@code
 * preallocation=full} or {@code -S 0} write them too, {@code falloc} reserves the file afterwards.
 */
final class VdiInPlaceWriter implements ImageWriter {
    private final VdiConfig config;
    private final TargetFiles.TargetFile file;
    private final VdiHeader header;
    private final int unitSize;

    VdiInPlaceWriter(VdiConfig config, TargetFiles.TargetFile file, VdiHeader header) throws IOException {
        this.config = config;
        this.file = file;
        this.header = header.withBlocksAllocated(header.blocks());
        this.unitSize = config.sparseSize() == 0 ? WriteWindow.SIZE
                : Integer.highestOneBit((int) Math.min(config.sparseSize(), WriteWindow.SIZE) * 2 - 1);
        file.setLength(fileLength());
        BlockMapWriter blockMap = new BlockMapWriter(file, header.blocksOffset(), header.blocks());
        for (long block = 0; block < header.blocks(); block++) {
            blockMap.set(block, block);
        }
        blockMap.finish();
    }

    private long fileLength() {
        return header.dataOffset() + header.blocks() * VdiConfig.BLOCK_SIZE;
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
        window.forEachDataSlice((guestOffset, bytes) -> file.write(bytes, header.dataOffset() + guestOffset));
    }

    @Override
    public void finish() throws IOException {
        file.write(header.encode(), 0);
        if (config.preallocation() == Preallocation.FALLOC) {
            FileWrites.fallocate(file.tempPath(), 0, fileLength());
        }
    }
}

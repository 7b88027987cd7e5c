package org.disklens.image.vdi;

import java.io.IOException;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;

/**
 * Writes a dynamic VDI as qemu-img's conversion does: each 1 MiB block that holds data appended to the data area in
 * guest order (whole, the disk's last block zero-padded), its index set in the block map; blocks without data stay
 * {@link BlockMap#FREE}. The block map is written as the conversion passes it, the header (with the allocated count)
 * last.
 */
final class VdiDynamicWriter implements ImageWriter {
    private final VdiConfig config;
    private final TargetFiles.TargetFile file;
    private final VdiHeader header;
    private final BlockMapWriter blockMap;
    private long allocated;

    VdiDynamicWriter(VdiConfig config, TargetFiles.TargetFile file, VdiHeader header) {
        this.config = config;
        this.file = file;
        this.header = header;
        this.blockMap = new BlockMapWriter(file, header.blocksOffset(), header.blocks());
    }

    @Override
    public int unitSize() {
        return (int) VdiConfig.BLOCK_SIZE;
    }

    @Override
    public boolean parallel() {
        return false;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        int unit = 0;
        while (unit < window.unitCount()) {
            if (window.kind(unit) != WriteWindow.DATA) {
                unit++;
                continue;
            }
            int first = unit;
            while (unit < window.unitCount() && window.kind(unit) == WriteWindow.DATA) {
                unit++;
            }
            file.write(window.units(first, unit), header.dataOffset() + allocated * VdiConfig.BLOCK_SIZE);
            long block = window.unitStart(first) / VdiConfig.BLOCK_SIZE;
            for (int i = 0; i < unit - first; i++) {
                blockMap.set(block + i, allocated++);
            }
        }
    }

    @Override
    public void finish() throws IOException {
        blockMap.finish();
        file.setLength(header.dataOffset() + allocated * VdiConfig.BLOCK_SIZE);
        file.write(header.withBlocksAllocated(allocated).encode(), 0);
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;
import org.disklens.image.Preallocation;

/**
 * Writes flat VMDK extents (monolithicFlat: one raw extent; twoGbMaxExtentFlat: raw extents of at most 2047 MiB)
 * and their descriptor file. The extents are raw files, written like a raw target: from the workers, in parallel,
 * with holes for zeroes unless preallocation asks for the blocks.
 */
final class VmdkFlatWriter implements ImageWriter {
    private final VmdkLayout layout;
    private final VmdkConfig config;
    private final List<TargetFiles.TargetFile> files = new ArrayList<>();
    private final TargetFiles.TargetFile descriptorFile;
    private final long capacitySectors;

    VmdkFlatWriter(VmdkLayout layout, TargetFiles outputs, long size) throws IOException {
        this.layout = layout;
        this.config = layout.config();
        this.capacitySectors = size / 512;
        for (VmdkLayout.Extent extent : layout.extents()) {
            TargetFiles.TargetFile file = outputs.create(extent.path());
            file.setLength(extent.bytes());
            files.add(file);
        }
        this.descriptorFile = outputs.create(layout.descriptor());
    }

    @Override
    public int unitSize() {
        return VmdkSparseWriter.GRAIN_SIZE;
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
        window.forEachDataSlice(this::writeGuest);
    }

    /** Writes guest bytes into the extents that hold them, split where an extent ends. */
    private void writeGuest(long guest, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            int index = layout.extentAt(guest);
            VmdkLayout.Extent extent = layout.extents().get(index);
            long inExtent = guest - extent.guestStart();
            int length = (int) Math.min(bytes.remaining(), extent.bytes() - inExtent);
            ByteBuffer part = bytes.slice(bytes.position(), length);
            FileWrites.writeFully(files.get(index).channel(), part, inExtent);
            bytes.position(bytes.position() + length);
            guest += length;
        }
    }

    @Override
    public void finish() throws IOException {
        if (config.preallocation() == Preallocation.FALLOC) {
            for (int i = 0; i < files.size(); i++) {
                FileWrites.fallocate(files.get(i).tempPath(), 0, layout.extents().get(i).bytes());
            }
        }
        FileWrites.writeFully(descriptorFile.channel(), ByteBuffer.wrap(VmdkDescriptor.bytes(layout, capacitySectors)), 0);
    }
}

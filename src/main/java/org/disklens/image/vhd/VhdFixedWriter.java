package org.disklens.image.vhd;

import java.io.IOException;
import org.disklens.image.ImageWriter;
import org.disklens.image.TargetFiles;
import org.disklens.image.WriteWindow;
import org.disklens.io.FileWrites;

/**
 * Writes a fixed VHD as qemu does: the guest disk byte for byte (zero runs left as holes of a file given its full
 * length up front), then the footer. Plain positional writes, so the workers write in parallel.
 */
final class VhdFixedWriter implements ImageWriter {
    private final VhdConfig config;
    private final TargetFiles.TargetFile file;
    private final Geometry.Sizing sizing;

    VhdFixedWriter(VhdConfig config, TargetFiles.TargetFile file, Geometry.Sizing sizing) throws IOException {
        this.config = config;
        this.file = file;
        this.sizing = sizing;
        file.setLength(sizing.bytes() + VhdFooter.SIZE);
    }

    @Override
    public int unitSize() {
        return config.unitSize();
    }

    @Override
    public boolean parallel() {
        return true;
    }

    @Override
    public boolean writesEverything() {
        return config.sparseSize() == 0;
    }

    @Override
    public void write(WriteWindow window) throws IOException {
        window.forEachDataSlice((guestOffset, bytes) -> FileWrites.writeFully(file.channel(), bytes, guestOffset));
    }

    @Override
    public void finish() throws IOException {
        VhdFooter footer = VhdFooter.forNewDisk(sizing, VhdFooter.TYPE_FIXED, config.forceSize());
        FileWrites.writeFully(file.channel(), footer.encode(), sizing.bytes());
    }
}

package org.disklens.image.vdi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * VirtualBox VDI: recognised, as qemu recognises it, by the signature {@code 0xbeda107f} at byte 64 of the
 * pre-header (the text before it is for people, and differs between VirtualBox versions and qemu).
 */
public final class VdiFormat implements ImageFormat {

    @Override
    public String name() {
        return "vdi";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < VdiHeader.PRE_HEADER_SIZE) {
            return 0;
        }
        ByteBuffer preHeader = source.read(0, VdiHeader.PRE_HEADER_SIZE, ByteOrder.LITTLE_ENDIAN);
        return preHeader.getInt(64) == VdiHeader.SIGNATURE ? 100 : 0;
    }

    /** Parents are not opened here: {@link VdiImage#backing()} names one for the chain to open. */
    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return VdiImage.open(source);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(VdiConfig::parse, List.of(
            new OptionHelp("preallocation=<str>", "Preallocation mode (allowed values: off, falloc, full)"),
            new OptionHelp("static=<bool (on/off)>", "VDI static (pre-allocated) image")));
}

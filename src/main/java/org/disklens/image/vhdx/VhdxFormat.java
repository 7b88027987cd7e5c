package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/** VHDX (Hyper-V): recognised by its file type identifier, {@code vhdxfile}, in the first 8 bytes. */
public final class VhdxFormat implements ImageFormat {
    @Override
    public String name() {
        return "vhdx";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < 8) {
            return 0;
        }
        return source.read(0, 8, ByteOrder.LITTLE_ENDIAN).getLong(0) == VhdxImage.SIGNATURE ? 100 : 0;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return VhdxImage.open(source);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(VhdxConfig::parse, List.of(
            new OptionHelp("block_size=<size>", "Block Size; min 1MB, max 256MB. 0 means auto-calculate based on image size."),
            new OptionHelp("block_state_zero=<bool (on/off)>", "Blocks without data are ZERO (on, the default) "
                    + "rather than NOT_PRESENT"),
            new OptionHelp("log_size=<size>", "Log size; min 1MB."),
            new OptionHelp("subformat=<str>", "VHDX format type, can be either 'dynamic' or 'fixed'. Default is 'dynamic'.")));
}

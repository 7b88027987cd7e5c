package org.disklens.image.raw;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
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

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(RawConfig::parse, List.of(
            new OptionHelp("preallocation=<str>", "Preallocation mode (allowed values: off, falloc, full)")));
}

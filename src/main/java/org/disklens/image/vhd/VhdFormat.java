package org.disklens.image.vhd;

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
 * VHD, named {@code vpc} as qemu-img names it. Recognised by the footer's cookie {@code "conectix"}: at the start
 * (dynamic and differencing disks, as qemu probes it: 100), or at the end, where a fixed disk has its only footer
 * (90 with a correct checksum, 80 without: below the formats with a magic at the start, far above raw, so a fixed
 * VHD is never taken for a raw disk, as qemu-img takes it unless told {@code -f vpc}).
 */
public final class VhdFormat implements ImageFormat {
    static final int SCORE_AT_START = 100;
    static final int SCORE_AT_END = 90;
    static final int SCORE_AT_END_BAD_CHECKSUM = 80;

    @Override
    public String name() {
        return "vpc";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        long size = source.size();
        if (size < VhdFooter.SIZE) {
            return 0;
        }
        if (VhdFooter.hasCookie(source.read(0, 8, ByteOrder.BIG_ENDIAN))) {
            return SCORE_AT_START;
        }
        ByteBuffer end = source.read(size - VhdFooter.SIZE, VhdFooter.SIZE, ByteOrder.BIG_ENDIAN);
        if (!VhdFooter.hasCookie(end)) {
            return 0;
        }
        int computed = VhdFooter.checksum(end, VhdFooter.SIZE, VhdFooter.CHECKSUM_OFFSET);
        return computed == end.getInt(VhdFooter.CHECKSUM_OFFSET) ? SCORE_AT_END : SCORE_AT_END_BAD_CHECKSUM;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return VhdImage.open(source);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(VhdConfig::parse, List.of(
            new OptionHelp("force_size=<bool (on/off)>", "Force disk size calculation to use the actual size "
                    + "specified, rather than using the nearest CHS-based calculation"),
            new OptionHelp("subformat=<str>", "Type of virtual hard disk format. Supported formats are "
                    + "{dynamic (default) | fixed}")));
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * VMDK: recognised by a sparse extent's magic ({@code KDMV}, or {@code COWD} for ESX deltas) or by a text
 * descriptor's first lines. A raw disk never passes: a descriptor is small, text, and says so.
 */
public final class VmdkFormat implements ImageFormat {
    private static final int PROBE_BYTES = 4096;

    @Override
    public String name() {
        return "vmdk";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        long size = source.size();
        if (size < 4) {
            return 0;
        }
        ByteBuffer start = source.read(0, (int) Math.min(PROBE_BYTES, size), ByteOrder.LITTLE_ENDIAN);
        int magic = start.getInt(0);
        if (magic == SparseHeader.MAGIC || SparseExtent.isCowd(start)) {
            return 100;
        }
        return size <= VmdkDescriptor.MAX_SIZE && looksLikeDescriptor(start) ? 100 : 0;
    }

    /** The first non-blank line is the descriptor's signature comment, or the text has version= and createType= lines. */
    private static boolean looksLikeDescriptor(ByteBuffer start) {
        byte[] bytes = new byte[start.remaining()];
        start.get(0, bytes);
        int textEnd = 0;
        while (textEnd < bytes.length && bytes[textEnd] != 0) {
            byte b = bytes[textEnd++];
            if (b >= 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        for (int i = textEnd; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                return false; // text, then binary: not a descriptor (some tools pad with NULs, nothing else)
            }
        }
        String text = new String(bytes, 0, textEnd, StandardCharsets.ISO_8859_1);
        return text.stripLeading().startsWith("# Disk DescriptorFile")
                || (text.matches("(?s).*(^|\\n)\\s*version\\s*=.*") && text.matches("(?s).*(^|\\n)\\s*createType\\s*=.*"));
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return VmdkImage.open(source, context);
    }

    @Override
    public Optional<FormatWriter> writer() {
        return Optional.of(WRITER);
    }

    private static final FormatWriter WRITER = new FormatWriter(VmdkConfig::parse, List.of(
            new OptionHelp("adapter_type=<str>",
                    "Virtual adapter type: ide (default), lsilogic, buslogic or legacyESX"),
            new OptionHelp("compat6=<bool (on/off)>", "VMDK version 6 image (virtual hardware version 6)"),
            new OptionHelp("hwversion=<num>", "VMDK virtual hardware version (default 4)"),
            new OptionHelp("preallocation=<str>", "Flat subformats only (allowed values: off, falloc, full)"),
            new OptionHelp("subformat=<str>", "monolithicSparse (default), monolithicFlat, twoGbMaxExtentSparse, "
                    + "twoGbMaxExtentFlat or streamOptimized"),
            new OptionHelp("toolsversion=<num>", "VMware guest tools version (default 2147483647)"),
            new OptionHelp("zeroed_grain=<bool (on/off)>",
                    "Sparse subformats: mark zero grains with the zeroed-grain GTE")));
}

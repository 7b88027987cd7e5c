package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.disklens.image.DiskImage;
import org.disklens.image.FormatWriter;
import org.disklens.image.FormatWriter.OptionHelp;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * VMDK: recognised by a sparse extent's magic ({@code KDMV}, or {@code COWD} for ESX deltas) or by a text
 * descriptor's first lines (a raw disk passes only if it starts with a descriptor's text). A file that starts as a
 * descriptor is a VMDK whatever follows (a size over the limit, NUL bytes, binary): {@link VmdkImage} refuses it
 * clearly, where handing it to raw would read a descriptor as a disk.
 */
public final class VmdkFormat implements ImageFormat {
    private static final int PROBE_BYTES = 4096;
    private static final Pattern FIRST_LINE_IS_VERSION = Pattern.compile("(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*version=[123]\\r?\\n");
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^\\s*version\\s*=");
    private static final Pattern CREATE_TYPE_LINE = Pattern.compile("(?m)^\\s*createType\\s*=");

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
        return startsLikeDescriptor(start) ? 100 : 0;
    }

    /**
     * The text before the first NUL or control byte opens with the descriptor's signature comment, or (as qemu
     * probes) its first line that is neither blank nor a comment is {@code version=N}, or it has both version= and
     * createType= lines.
     */
    static boolean startsLikeDescriptor(ByteBuffer start) {
        byte[] bytes = new byte[start.remaining()];
        start.get(0, bytes);
        int textEnd = 0;
        while (textEnd < bytes.length && isText(bytes[textEnd])) {
            textEnd++;
        }
        String text = new String(bytes, 0, textEnd, StandardCharsets.ISO_8859_1);
        return text.stripLeading().startsWith("# Disk DescriptorFile")
                || FIRST_LINE_IS_VERSION.matcher(text).lookingAt()
                || (VERSION_LINE.matcher(text).find() && CREATE_TYPE_LINE.matcher(text).find());
    }

    private static boolean isText(byte b) {
        return b < 0 || b >= 0x20 || b == '\n' || b == '\r' || b == '\t';
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

package org.disklens.image.ova;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageFormat;
import org.disklens.image.LimitExceeded;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * A loose OVF descriptor beside its files: read like an OVA, its disk files opened through the open policy (so an
 * {@code ovf:href} of {@code ../../etc/passwd} is refused like any reference outside the descriptor's folder).
 */
public final class OvfFormat implements ImageFormat {
    /** How far into the file the probe looks for the envelope namespace. */
    private static final int PROBE_BYTES = 64 * 1024;

    @Override
    public String name() {
        return "ovf";
    }

    /**
     * 80 for XML (after an optional UTF-8 byte order mark and white space: {@code <?xml}, {@code <Envelope} or
     * {@code <ovf:Envelope}) that names an OVF 1.x or 2.0 envelope namespace in its first 64 KiB.
     */
    @Override
    public int probe(BlockSource source) throws IOException {
        long size = source.size();
        if (size < 16) {
            return 0;
        }
        ByteBuffer start = source.read(0, (int) Math.min(PROBE_BYTES, size), ByteOrder.BIG_ENDIAN);
        byte[] bytes = new byte[start.remaining()];
        start.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.startsWith("\u00ef\u00bb\u00bf") ? 3 : 0;
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        String head = text.substring(at);
        boolean xml = head.startsWith("<?xml") || head.startsWith("<Envelope") || head.startsWith("<ovf:Envelope");
        return xml && (text.contains(OvfDescriptor.OVF_1) || text.contains(OvfDescriptor.OVF_2)) ? 80 : 0;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        long size = source.size();
        if (size > OvfDescriptor.MAX_SIZE) {
            throw new LimitExceeded("ovf", "OVF descriptor", 0,
                    "%d bytes exceed the limit of %d".formatted(size, OvfDescriptor.MAX_SIZE));
        }
        byte[] xml = new byte[(int) size];
        source.read(0, ByteBuffer.wrap(xml));
        OvfDescriptor descriptor = OvfDescriptor.parse(xml, "ovf", 0);
        return OvaImage.open("ovf", source, descriptor, 0, size, Optional.empty(),
                new ApplianceFiles.FilesBeside(context, source), context);
    }

    @Override
    public String notWritableHint() {
        return "convert a disk to vmdk (-o subformat=streamOptimized) and write its .ovf beside it";
    }
}

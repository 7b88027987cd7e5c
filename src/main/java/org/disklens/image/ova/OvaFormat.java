package org.disklens.image.ova;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageFormat;
import org.disklens.image.LimitExceeded;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * OVA: an OVF package in one tar file, the {@code .ovf} descriptor its first member (DSP0243 says so, and it is what
 * the probe looks for: a tar whose first member is not an OVF is not an OVA). Read only, in place; see
 * {@code package-info.java}.
 */
public final class OvaFormat implements ImageFormat {
    /** Headers (a pax header and the descriptor's) the probe reads at most. */
    private static final int PROBE_BYTES = 64 * 1024;

    @Override
    public String name() {
        return "ova";
    }

    /** 90 for a tar (checksums valid) whose first member's name ends in {@code .ovf}. */
    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < 2 * 512) {
            return 0;
        }
        return TarIndex.firstMemberName(source, PROBE_BYTES)
                .filter(name -> name.toLowerCase(Locale.ROOT).endsWith(".ovf")).isPresent() ? 90 : 0;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        TarIndex tar = TarIndex.read(source, "ova");
        if (tar.members().isEmpty()) {
            throw new CorruptImage("ova", "tar", 0, "the archive has no members");
        }
        TarIndex.Member first = tar.members().getFirst();
        if (!first.name().toLowerCase(Locale.ROOT).endsWith(".ovf") || !first.regularFile()) {
            throw new CorruptImage("ova", "tar header", first.headerOffset(),
                    "the first member is '%s', not an OVF descriptor (.ovf)".formatted(TarIndex.shown(first.name())));
        }
        if (first.size() > OvfDescriptor.MAX_SIZE) {
            throw new LimitExceeded("ova", "OVF descriptor", first.dataOffset(),
                    "%d bytes exceed the limit of %d".formatted(first.size(), OvfDescriptor.MAX_SIZE));
        }
        byte[] xml = new byte[(int) first.size()];
        source.read(first.dataOffset(), ByteBuffer.wrap(xml));
        OvfDescriptor descriptor = OvfDescriptor.parse(xml, "ova", first.dataOffset());
        return OvaImage.open("ova", source, descriptor, first.dataOffset(), first.size(), Optional.of(tar),
                new ApplianceFiles.TarMembers(source, tar), context);
    }

    @Override
    public String notWritableHint() {
        return "convert a disk to vmdk (-o subformat=streamOptimized) and pack it with its .ovf by tar";
    }
}

package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.io.BlockSource;

/**
 * Reads the committed metadata of one metadata area: its header, then the text that raw location 0 points to in the
 * circular buffer {@code [512, size)} of the area. Text that runs past the end of the buffer continues at its start
 * (right after the header). The CRC covers both parts; the text is then parsed.
 */
final class MetadataArea {
    /** The largest metadata text DiskLens reads; LVM's own default area is 1 MiB. */
    static final int MAX_TEXT = 16 << 20;

    /** A VG's metadata as one area holds it, and where. */
    record Copy(VgMetadata vg, PhysicalVolume pv, long textOffset) {
    }

    private MetadataArea() {
    }

    /** The committed copy in {@code area} of {@code pv}; empty when the area holds none (an orphan PV) or is ignored. */
    static Optional<Copy> read(PhysicalVolume pv, DiskArea area) throws IOException {
        String structure = "metadata area of PV on " + pv.where();
        BlockSource bytes = pv.member().bytes();
        long pvSize = bytes.size();
        if (area.offset() > pvSize - MdaHeader.SIZE) {
            throw new CorruptImage("lvm", structure, area.offset(), "lies past the end of the PV (%d bytes)"
                    .formatted(pvSize));
        }
        MdaHeader header = MdaHeader.parse(bytes.read(area.offset(), MdaHeader.SIZE, ByteOrder.LITTLE_ENDIAN),
                area.offset(), structure);
        if (header.size() > pvSize - area.offset()) {
            throw new CorruptImage("lvm", structure, area.offset(), "its %d bytes run past the end of the PV (%d bytes)"
                    .formatted(header.size(), pvSize));
        }
        MdaHeader.RawLocation location = header.committed();
        if (location.empty() || location.ignored()) {
            return Optional.empty();
        }
        Text text = text(bytes, area.offset(), header, structure);
        try {
            ConfigText.Section root = ConfigText.parse(text.bytes(), text.bytes().length);
            return Optional.of(new Copy(VgMetadata.from(root), pv, text.deviceOffset(0)));
        } catch (ConfigText.Problem problem) {
            long at = text.deviceOffset(problem.position);
            String message = "metadata text: " + problem.getMessage();
            throw problem.limit ? new LimitExceeded("lvm", structure, at, message)
                    : new CorruptImage("lvm", structure, at, message);
        } catch (VgMetadata.Damage damage) {
            throw new CorruptImage("lvm", structure, text.deviceOffset(0), "metadata text: " + damage.getMessage());
        }
    }

    /** The text's bytes and where its two parts lie on the PV. */
    private record Text(byte[] bytes, long firstAt, int firstLength, long wrappedAt) {
        long deviceOffset(int position) {
            return position < firstLength ? firstAt + position : wrappedAt + (position - firstLength);
        }
    }

    private static Text text(BlockSource bytes, long areaStart, MdaHeader header, String structure)
            throws IOException {
        MdaHeader.RawLocation location = header.committed();
        long ring = header.size() - MdaHeader.SIZE;
        if (location.offset() < MdaHeader.SIZE || location.offset() >= header.size()) {
            throw new CorruptImage("lvm", structure, areaStart, "metadata text at offset %s lies outside the area"
                    .formatted(Long.toUnsignedString(location.offset())));
        }
        if (location.size() <= 0 || location.size() > ring) {
            throw new CorruptImage("lvm", structure, areaStart, "metadata text of %s bytes does not fit its %d-byte buffer"
                    .formatted(Long.toUnsignedString(location.size()), ring));
        }
        if (location.size() > MAX_TEXT) {
            throw new LimitExceeded("lvm", structure, areaStart, "metadata text of %d bytes (DiskLens reads up to %d)"
                    .formatted(location.size(), MAX_TEXT));
        }
        int size = (int) location.size();
        int first = (int) Math.min(size, header.size() - location.offset());
        // size <= ring, so the wrapped part [512, 512 + size - first) always ends before the text's own start
        ByteBuffer buffer = ByteBuffer.allocate(size);
        long firstAt = areaStart + location.offset();
        long wrappedAt = areaStart + MdaHeader.SIZE;
        bytes.read(firstAt, buffer.limit(first));
        bytes.read(wrappedAt, buffer.limit(size));
        int crc = Crc.of(buffer, 0, size);
        if (crc != location.checksum()) {
            throw new CorruptImage("lvm", structure, firstAt, "metadata text checksum 0x%08x, expected 0x%08x"
                    .formatted(location.checksum(), crc));
        }
        return new Text(buffer.array(), firstAt, first, wrappedAt);
    }

}

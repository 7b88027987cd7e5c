package org.disklens.content.lvm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.disklens.image.CorruptImage;

/**
 * The header sector of a metadata area ({@code mda_header}, 512 bytes): CRC of bytes 4 to 511, the magic
 * {@code " LVM2 x[5A%r0N*>"}, version 1, the area's own start and size on the PV, then the {@code raw_locn} slots.
 * Slot 0 is the committed metadata text, slot 1 the pre-committed one (LVM reads slot 0).
 *
 * @param start     where the area starts on the PV (must equal the PV header's descriptor)
 * @param size      the area's size, header included; the text ring is {@code [512, size)}
 * @param committed raw location slot 0
 */
record MdaHeader(long start, long size, RawLocation committed) {
    static final int SIZE = 512;
    static final byte[] MAGIC = " LVM2 x[5A%r0N*>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    /**
     * One slot: the text at {@code offset} from the area's start, {@code size} bytes (a trailing NUL included), its
     * CRC, and flags (bit 0: ignored, the area is not kept up to date).
     */
    record RawLocation(long offset, long size, int checksum, int flags) {
        static final int IGNORED = 1;

        boolean empty() {
            return offset == 0 && size == 0;
        }

        boolean ignored() {
            return (flags & IGNORED) != 0;
        }
    }

    /** Parses the header sector of the area that the PV header places at {@code expectedStart}. */
    static MdaHeader parse(ByteBuffer sector, long expectedStart, String structure) throws CorruptImage {
        int stored = sector.getInt(0);
        int computed = Crc.of(sector, 4, SIZE - 4);
        if (stored != computed) {
            throw new CorruptImage("lvm", structure, expectedStart, "header checksum 0x%08x, expected 0x%08x"
                    .formatted(stored, computed));
        }
        byte[] magic = new byte[MAGIC.length];
        sector.get(4, magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptImage("lvm", structure, expectedStart, "no metadata area magic");
        }
        int version = sector.getInt(20);
        if (version != VERSION) {
            throw new CorruptImage("lvm", structure, expectedStart, "metadata area version %d (DiskLens reads 1)"
                    .formatted(version));
        }
        long start = sector.getLong(24);
        if (start != expectedStart) {
            throw new CorruptImage("lvm", structure, expectedStart, "header says the area starts at 0x%x"
                    .formatted(start));
        }
        long size = sector.getLong(32);
        if (size <= SIZE) {
            throw new CorruptImage("lvm", structure, expectedStart, "area size %s leaves no room for metadata"
                    .formatted(Long.toUnsignedString(size)));
        }
        return new MdaHeader(start, size, new RawLocation(sector.getLong(40), sector.getLong(48), sector.getInt(56),
                sector.getInt(60)));
    }
}

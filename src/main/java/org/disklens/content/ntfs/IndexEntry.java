package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.disklens.image.CorruptImage;

/**
 * One entry of a directory index: the MFT reference of the file (0), the entry length (8), the key length (10),
 * flags (12: bit 0 a sub-node VCN ends the entry, bit 1 the last entry of its node, which has no key), the key (a
 * {@code $FILE_NAME}, from 16) and, for a sub-node, the VCN of the child node in the entry's last 8 bytes.
 */
record IndexEntry(long reference, int length, int flags, Optional<FileName> key, long subnodeVcn) {
    static final int HEADER = 16;
    static final int SUBNODE = 0x1;
    static final int LAST = 0x2;

    static IndexEntry parse(IndexNode node, int at, String where) throws CorruptImage {
        ByteBuffer bytes = node.bytes();
        if (at > node.entriesEnd() - HEADER) {
            throw new CorruptImage(Geometry.NAMING, where, node.volumeOffset(),
                    "its entries end without a last entry (byte %d)".formatted(at));
        }
        int length = Short.toUnsignedInt(bytes.getShort(at + 8));
        int keyLength = Short.toUnsignedInt(bytes.getShort(at + 10));
        int flags = bytes.getInt(at + 12);
        boolean subnode = (flags & SUBNODE) != 0;
        int keyRoom = length - HEADER - (subnode ? 8 : 0);
        if (length < HEADER || length > node.entriesEnd() - at || keyRoom < 0) {
            throw new CorruptImage(Geometry.NAMING, where, node.volumeOffset(),
                    "entry at byte %d has length %d".formatted(at, length));
        }
        long subnodeVcn = subnode ? bytes.getLong(at + length - 8) : -1;
        Optional<FileName> key = Optional.empty();
        if ((flags & LAST) == 0) {
            if (keyLength > keyRoom) {
                throw new CorruptImage(Geometry.NAMING, where, node.volumeOffset(),
                        "entry at byte %d: its %d-byte key runs past the entry".formatted(at, keyLength));
            }
            key = Optional.of(FileName.parse(bytes, at + HEADER, keyLength, where, node.volumeOffset()));
        }
        return new IndexEntry(bytes.getLong(at), length, flags, key, subnodeVcn);
    }

    boolean last() {
        return (flags & LAST) != 0;
    }

    boolean hasSubnode() {
        return (flags & SUBNODE) != 0;
    }
}

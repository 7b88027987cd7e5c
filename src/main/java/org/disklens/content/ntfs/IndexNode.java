package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.content.OnDiskText;
import org.disklens.image.CorruptImage;

/**
 * One node of a B-tree index: its entries lie in {@code bytes} from {@code entriesStart} to {@code entriesEnd}. The
 * node header (16 bytes) gives the entries' offset and the node's used size, both from the header's start, and
 * flags (bit 0: a branch node). In {@code $INDEX_ROOT} the header follows the 16-byte root header; in an
 * {@code INDX} block ({@code $INDEX_ALLOCATION}) it follows the 24-byte block header (signature, update sequence,
 * LSN, the block's own VCN).
 */
record IndexNode(ByteBuffer bytes, int entriesStart, int entriesEnd, long volumeOffset) {
    static final int BLOCK_HEADER = 24;

    /** The node whose header is at {@code headerAt} in {@code buffer}. */
    static IndexNode parse(ByteBuffer buffer, int headerAt, String where, long volumeOffset) throws CorruptImage {
        ByteBuffer bytes = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (headerAt < 0 || headerAt > bytes.limit() - 16) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "its node header runs past it");
        }
        long start = headerAt + Integer.toUnsignedLong(bytes.getInt(headerAt));
        long end = headerAt + Integer.toUnsignedLong(bytes.getInt(headerAt + 4));
        if (start < headerAt + 16 || start > end || end > bytes.limit()) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset,
                    "entries from byte %d to %d do not fit its %d bytes".formatted(start, end, bytes.limit()));
        }
        return new IndexNode(bytes, (int) start, (int) end, volumeOffset);
    }

    /** An {@code INDX} block read from VCN {@code vcn} of the index allocation; its fix-ups are applied in place. */
    static IndexNode parseBlock(ByteBuffer block, long vcn, String where, long volumeOffset) throws CorruptImage {
        ByteBuffer bytes = block.order(ByteOrder.LITTLE_ENDIAN);
        if (!OnDiskText.ascii(bytes, 0, 4).equals("INDX")) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "no INDX signature");
        }
        int usaEnd = Fixups.apply(bytes, where, volumeOffset);
        long ownVcn = bytes.getLong(16);
        if (ownVcn != vcn) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "the block says it is VCN %d".formatted(ownVcn));
        }
        IndexNode node = parse(bytes, BLOCK_HEADER, where, volumeOffset);
        if (node.entriesStart() < usaEnd) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "its entries overlap its update sequence");
        }
        return node;
    }
}

package org.disklens.content.ntfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;

/**
 * {@code $INDEX_ROOT}: the indexed attribute type (0; {@code $FILE_NAME} for directories), collation rule (4), the
 * size of an index block (8, a power of two, 512 B to 64 KiB here), clusters per index block (12), then the root
 * node (16).
 */
record IndexRoot(int attributeType, int collation, int blockSize, IndexNode node) {
    static final int HEADER = 16;
    static final int MIN_BLOCK = 512;
    static final int MAX_BLOCK = 64 << 10;

    static IndexRoot parse(byte[] value, String where, long volumeOffset) throws CorruptImage, LimitExceeded {
        ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        if (value.length < HEADER + 16) {
            throw new CorruptImage(Geometry.NAMING, where, volumeOffset, "an index root of %d bytes".formatted(value.length));
        }
        int blockSize = bytes.getInt(8);
        if (blockSize < MIN_BLOCK || blockSize > MAX_BLOCK || Integer.bitCount(blockSize) != 1) {
            throw new LimitExceeded(Geometry.NAMING, where, volumeOffset,
                    "index blocks of %d bytes (DiskLens reads 512 B to 64 KiB)".formatted(blockSize));
        }
        return new IndexRoot(bytes.getInt(0), bytes.getInt(4), blockSize, IndexNode.parse(bytes, HEADER, where, volumeOffset));
    }
}

package org.disklens.content.xfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/** The XFS superblock ("XFS Algorithms & Data Structures", chapter 12), big-endian, at byte 0 of the volume. */
record XfsSuperblock(long blockSize, long dataBlocks, long freeDataBlocks, String uuid, String label) {
    static final int SIZE = 512;
    static final int MAGIC = 0x58465342;

    static Optional<XfsSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(0, SIZE).order(ByteOrder.BIG_ENDIAN);
        if (sb.getInt(0) != MAGIC) {
            return Optional.empty();
        }
        return Optional.of(new XfsSuperblock(Integer.toUnsignedLong(sb.getInt(4)), sb.getLong(8), sb.getLong(144),
                OnDiskText.uuid(sb, 32), OnDiskText.text(sb, 108, 12)));
    }
}

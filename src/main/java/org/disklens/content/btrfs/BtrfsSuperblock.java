package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.disklens.content.OnDiskText;

/**
 * The Btrfs superblock (the kernel's Btrfs on-disk format), little-endian, at 64 KiB into the volume; {@code devices}
 * is how many devices the file system spans (its total size is theirs together).
 */
record BtrfsSuperblock(long totalBytes, long bytesUsed, long devices, String uuid, String label) {
    static final int OFFSET = 0x10000;
    static final int SIZE = 0x300;
    static final String MAGIC = "_BHRfS_M";

    static Optional<BtrfsSuperblock> parse(ByteBuffer bytes) {
        ByteBuffer sb = bytes.slice(bytes.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        if (!OnDiskText.ascii(sb, 0x40, 8).equals(MAGIC)) {
            return Optional.empty();
        }
        return Optional.of(new BtrfsSuperblock(sb.getLong(0x70), sb.getLong(0x78), sb.getLong(0x88), OnDiskText.uuid(sb, 0x20),
                OnDiskText.text(sb, 0x12b, 256)));
    }
}

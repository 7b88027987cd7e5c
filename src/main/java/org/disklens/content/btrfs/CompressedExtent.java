package org.disklens.content.btrfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.image.Mapping;

/**
 * One compressed extent: {@code diskBytes} of compressed data at logical {@code diskBytenr}, decoding to
 * {@code ramBytes} (both at most {@link #MAX_BYTES}, checked by the file system before it makes one). Records of the
 * same volume and extent are equal, so a reader decodes an extent once while it reads through it.
 */
record CompressedExtent(BtrfsVolume volume, long diskBytenr, int diskBytes, int ramBytes, int compression,
                        long hostOffset) implements Mapping.CompressedUnit {
    /** BTRFS_MAX_COMPRESSED: the kernel writes compressed extents of at most 128 KiB either way. */
    static final int MAX_BYTES = 128 * 1024;

    @Override
    public int decodedSize() {
        return ramBytes;
    }

    @Override
    public void decodeInto(ByteBuffer dst) throws IOException {
        String what = "%s extent at logical 0x%x".formatted(Decompression.name(compression), diskBytenr);
        ByteBuffer input = ByteBuffer.allocate(diskBytes);
        volume.readLogical(diskBytenr, input, what);
        byte[] output = new byte[ramBytes];
        Decompression.decode(compression, input.array(), diskBytes, output, volume.superblock().sectorSize(), what,
                hostOffset);
        dst.put(output);
    }
}

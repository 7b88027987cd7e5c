package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One block group descriptor: 32 bytes, or {@code s_desc_size} (64+) with {@code INCOMPAT_64BIT}, whose second half
 * holds the high 32 bits of the block numbers. {@code checksumMatches} is false only when a checksum feature is on and
 * the stored 16 bits differ from what the kernel computes (crc32c with {@code metadata_csum}, crc16 with
 * {@code gdt_csum}).
 */
record GroupDescriptor(long group, long blockBitmap, long inodeBitmap, long inodeTable, int flags, int itableUnused,
                       int blockBitmapChecksum, boolean checksumMatches) {
    static final int INODE_UNINIT = 0x1;
    static final int BLOCK_UNINIT = 0x2;
    static final int CHECKSUM_OFFSET = 0x1E;

    /** The descriptor in {@code bytes} (positioned at it, {@code layout.descriptorSize()} bytes). */
    static GroupDescriptor parse(ByteBuffer bytes, long group, ExtLayout layout) {
        int size = layout.descriptorSize();
        ByteBuffer d = bytes.slice(bytes.position(), size).order(ByteOrder.LITTLE_ENDIAN);
        boolean wide = size >= 64;
        long blockBitmap = u32(d, 0x0) | (wide ? u32(d, 0x20) << 32 : 0);
        long inodeBitmap = u32(d, 0x4) | (wide ? u32(d, 0x24) << 32 : 0);
        long inodeTable = u32(d, 0x8) | (wide ? u32(d, 0x28) << 32 : 0);
        int itableUnused = u16(d, 0x1C) | (wide ? u16(d, 0x32) << 16 : 0);
        int bitmapChecksum = u16(d, 0x18) | (wide ? u16(d, 0x38) << 16 : 0);
        return new GroupDescriptor(group, blockBitmap, inodeBitmap, inodeTable, u16(d, 0x12), itableUnused,
                bitmapChecksum, checksumMatches(d, group, layout));
    }

    private static boolean checksumMatches(ByteBuffer d, long group, ExtLayout layout) {
        int stored = u16(d, CHECKSUM_OFFSET);
        if (layout.metadataChecksums()) {
            ByteBuffer zeroed = ByteBuffer.allocate(d.capacity()).put(d.duplicate().clear()).flip();
            zeroed.putShort(CHECKSUM_OFFSET, (short) 0);
            int crc = Checksums.crc32c(Checksums.crc32c(layout.checksumSeed(), (int) group), zeroed);
            return (crc & 0xFFFF) == stored;
        }
        if (layout.gdtChecksums()) {
            ByteBuffer group32 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) group);
            int crc = Checksums.crc16(0xFFFF, ByteBuffer.wrap(layout.superblock().uuidBytes()));
            crc = Checksums.crc16(crc, group32);
            crc = Checksums.crc16(crc, d.slice(0, CHECKSUM_OFFSET));
            if (d.capacity() > CHECKSUM_OFFSET + 2) {
                crc = Checksums.crc16(crc, d.slice(CHECKSUM_OFFSET + 2, d.capacity() - CHECKSUM_OFFSET - 2));
            }
            return crc == stored;
        }
        return true;
    }

    private static long u32(ByteBuffer bytes, int at) {
        return Integer.toUnsignedLong(bytes.getInt(at));
    }

    private static int u16(ByteBuffer bytes, int at) {
        return Short.toUnsignedInt(bytes.getShort(at));
    }

    /** BLOCK_UNINIT counts only where a descriptor checksum feature makes the flags trustworthy (as the kernel). */
    boolean blockBitmapUninitialised(ExtLayout layout) {
        return (layout.metadataChecksums() || layout.gdtChecksums()) && (flags & BLOCK_UNINIT) != 0;
    }
}

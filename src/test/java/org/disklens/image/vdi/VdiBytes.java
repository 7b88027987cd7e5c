package org.disklens.image.vdi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * VDI files built byte by byte for the cases no tool makes (differencing images, version 0 headers, small blocks,
 * block extra data): a header, a block map and the data blocks in slot order, as {@code VDICore.h} lays them out.
 */
final class VdiBytes {
    private VdiBytes() {
    }

    /** A version 1.1 header of the given type and geometry, the map at 512 and the data after it, sector aligned. */
    static VdiHeader header(int type, long diskSize, long blockSize, long blockExtra, long blocks, long allocated,
                            UUID image, UUID link) {
        long dataOffset = 512 + Math.ceilDiv(blocks * 4, 512) * 512;
        return new VdiHeader(VdiHeader.ORACLE_TEXT, VdiHeader.SIGNATURE, VdiHeader.VERSION_1_1,
                VdiHeader.HEADER1_PLUS_SIZE, type, 0, "made by a test", 512, dataOffset, VdiHeader.Geometry.none(), 0,
                diskSize, blockSize, blockExtra, blocks, allocated, image, UUID.randomUUID(), link, new UUID(0, 0),
                Optional.of(VdiHeader.Geometry.none()));
    }

    /** The whole file: header, map, and {@code slots} (each block's extra data then its data, zero-filled). */
    static byte[] file(VdiHeader header, long[] map, byte[][] slots) {
        int slotSize = (int) header.slotSize();
        byte[] bytes = new byte[(int) (header.dataOffset() + (long) slots.length * slotSize)];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(0, header.encode(), 0, 512);
        for (int i = 0; i < map.length; i++) {
            buffer.putInt((int) header.blocksOffset() + i * 4, (int) map[i]);
        }
        for (int i = 0; i < slots.length; i++) {
            System.arraycopy(slots[i], 0, bytes, (int) (header.dataOffset() + (long) i * slotSize),
                    Math.min(slots[i].length, slotSize));
        }
        return bytes;
    }

    /** A block of {@code size} bytes filled with {@code value}. */
    static byte[] filled(long size, int value) {
        byte[] block = new byte[(int) size];
        Arrays.fill(block, (byte) value);
        return block;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

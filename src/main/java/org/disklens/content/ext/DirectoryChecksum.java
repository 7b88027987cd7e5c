package org.disklens.content.ext;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * {@code metadata_csum} on directory blocks. A leaf block ends with a 12-byte tail that looks like an unused entry
 * ({@code inode 0, rec_len 12, name_len 0, file_type 0xDE}) and holds crc32c(inode seed, the block before the tail).
 * An htree node (the root in block 0, or an internal node: one unused entry spanning the block) ends its
 * {@code (limit, count)} entry array with {@code dx_tail (reserved u32, checksum u32)}: crc32c over the header and
 * the {@code count} entries, then the tail with its checksum as zeroes.
 */
final class DirectoryChecksum {
    static final int TAIL = 12;
    static final int TAIL_FILE_TYPE = 0xDE;
    private static final int DX_ENTRY = 8;
    private static final int DX_ROOT_COUNT_OFFSET = 24;
    private static final int DX_NODE_COUNT_OFFSET = 8;

    private DirectoryChecksum() {
    }

    /** What is wrong with the block's checksum, if anything; {@code block} is one whole block, little-endian. */
    static Optional<String> verify(ByteBuffer block, Inode directory, long logicalBlock, ExtLayout layout) {
        int size = block.capacity();
        int tail = size - TAIL;
        if (hasLeafTail(block, size)) {
            int crc = Checksums.crc32c(directory.checksumSeed(), block.slice(0, tail));
            return crc == block.getInt(size - 4) ? Optional.empty() : Optional.of("checksum mismatch");
        }
        int countOffset = htreeCountOffset(block, size, directory.has(Inode.INDEX_FL) && logicalBlock == 0);
        if (countOffset < 0) {
            return Optional.of("no checksum tail");
        }
        return verifyHtree(block, directory, countOffset);
    }

    private static boolean hasLeafTail(ByteBuffer block, int size) {
        int tail = size - TAIL;
        return block.getInt(tail) == 0 && DirectoryEntry.recordLength(Short.toUnsignedInt(block.getShort(tail + 4)), size) == TAIL
                && block.get(tail + 6) == 0 && Byte.toUnsignedInt(block.get(tail + 7)) == TAIL_FILE_TYPE;
    }

    /** Where an htree block's (limit, count) pair is, or -1 if the block is no htree node. */
    private static int htreeCountOffset(ByteBuffer block, int size, boolean root) {
        int first = DirectoryEntry.recordLength(Short.toUnsignedInt(block.getShort(4)), size);
        if (!root) {
            return block.getInt(0) == 0 && first == size ? DX_NODE_COUNT_OFFSET : -1;
        }
        int infoLength = Byte.toUnsignedInt(block.get(DX_ROOT_COUNT_OFFSET + 5));
        return first == 12 && infoLength == 8 ? DX_ROOT_COUNT_OFFSET + infoLength : -1;
    }

    private static Optional<String> verifyHtree(ByteBuffer block, Inode directory, int countOffset) {
        int size = block.capacity();
        int limit = Short.toUnsignedInt(block.getShort(countOffset));
        int count = Short.toUnsignedInt(block.getShort(countOffset + 2));
        int tailAt = countOffset + limit * DX_ENTRY;
        if (count > limit || tailAt + 8 > size) {
            return Optional.of("htree node (limit %d, count %d) leaves no room for its checksum".formatted(limit, count));
        }
        int crc = Checksums.crc32c(directory.checksumSeed(), block.slice(0, countOffset + count * DX_ENTRY));
        ByteBuffer tail = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, block.getInt(tailAt));
        crc = Checksums.crc32c(crc, tail);
        return crc == block.getInt(tailAt + 4) ? Optional.empty() : Optional.of("htree node checksum mismatch");
    }
}

package org.disklens.content.btrfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/** Changes tree blocks and superblocks of test images in place, giving them a correct crc32c again. */
final class Blocks {
    private Blocks() {
    }

    /** Changes the {@code nodeSize}-byte tree block at {@code logical} (every copy the chunk tree gives it). */
    static void rewrite(Path image, List<DumpTree.Chunk> chunks, long logical, int nodeSize, Consumer<ByteBuffer> change)
            throws IOException {
        List<Long> copies = DumpTree.physical(chunks, logical);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(nodeSize).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(block, copies.getFirst());
            change.accept(block.clear());
            writeWithChecksum(channel, block.array(), copies);
        }
    }

    /** Changes the primary superblock and its 64 MiB mirror. */
    static void rewriteSuperblocks(Path image, Consumer<ByteBuffer> change) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (long offset : new long[] {0x10000, 64L << 20}) {
                ByteBuffer block = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(block, offset);
                change.accept(block.clear());
                writeWithChecksum(channel, block.array(), List.of(offset));
            }
        }
    }

    static void writeWithChecksum(FileChannel channel, byte[] block, List<Long> offsets) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(block, 0x20, block.length - 0x20);
        Arrays.fill(block, 0, 0x20, (byte) 0);
        ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) crc.getValue());
        for (long offset : offsets) {
            channel.write(ByteBuffer.wrap(block), offset);
        }
    }
}

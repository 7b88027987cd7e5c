package org.disklens.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Finds and changes ISO 9660 directory records in an image xorriso or genisoimage wrote (2 KiB blocks). */
public final class IsoPokes {
    private static final int BLOCK = 2048;

    private IsoPokes() {
    }

    /** The root directory's extent (its first block), from the primary volume descriptor. */
    public static long rootExtent(Path image) {
        return Integer.toUnsignedLong(read(image, 16L * BLOCK + 156 + 2, 4).getInt(0));
    }

    /** The byte offset of the record whose ISO 9660 identifier (before any ";1") is {@code identifier}. */
    public static long record(Path image, long directoryLba, String identifier) {
        ByteBuffer block = read(image, directoryLba * BLOCK, BLOCK);
        for (int at = 0; at < BLOCK && block.get(at) != 0; at += Byte.toUnsignedInt(block.get(at))) {
            byte[] name = new byte[Byte.toUnsignedInt(block.get(at + 32))];
            block.get(at + 33, name);
            if (new String(name, StandardCharsets.ISO_8859_1).split(";")[0].equals(identifier)) {
                return directoryLba * BLOCK + at;
            }
        }
        throw new IllegalStateException("no record " + identifier + " in block " + directoryLba);
    }

    /** Points the record at {@code record} to the extent at {@code lba} (both byte orders). */
    public static void pointExtent(Path image, long record, long lba) {
        Hostile.pokeInPlace(image, record + 2, Integer.reverseBytes((int) lba), 4);
        Hostile.pokeInPlace(image, record + 6, lba, 4);
    }

    private static ByteBuffer read(Path image, long at, int length) {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(buffer, at);
            return buffer.flip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

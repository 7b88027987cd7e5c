package org.disklens.image.vhd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Edits VHD footers in test files the way the specification defines them, independently of the code under test:
 * the footer of a fixed disk is the last 512 bytes, a dynamic disk's is there and copied at 0; the checksum is the
 * ones' complement of the byte sum with the checksum field (offset 64) zeroed.
 */
final class VhdFiles {
    static final int CREATOR_APP = 28;
    static final int CURRENT_SIZE = 48;
    static final int GEOMETRY = 56;
    static final int CHECKSUM = 64;
    static final int UNIQUE_ID = 68;

    private VhdFiles() {
    }

    /** A copy of {@code good} named {@code name}, every footer of it edited by {@code edit} and its checksum fixed. */
    static Path withFooters(Path good, String name, Consumer<ByteBuffer> edit) {
        Path copy = good.resolveSibling(name);
        try {
            Files.copy(good, copy, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long end = channel.size() - 512;
                for (long at : new long[] {0, end}) {
                    ByteBuffer footer = ByteBuffer.allocate(512).order(ByteOrder.BIG_ENDIAN);
                    channel.read(footer, at);
                    if (!new String(footer.array(), 0, 8, StandardCharsets.ISO_8859_1).equals("conectix")) {
                        continue;
                    }
                    edit.accept(footer);
                    footer.putInt(CHECKSUM, checksum(footer.array(), CHECKSUM));
                    channel.write(footer.clear(), at);
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets the creator application (four bytes, as given). */
    static Consumer<ByteBuffer> creator(String fourBytes) {
        byte[] bytes = fourBytes.getBytes(StandardCharsets.ISO_8859_1);
        return footer -> footer.put(CREATOR_APP, bytes);
    }

    static Consumer<ByteBuffer> currentSize(long bytes) {
        return footer -> footer.putLong(CURRENT_SIZE, bytes);
    }

    static Consumer<ByteBuffer> geometry(int cylinders, int heads, int sectors) {
        return footer -> footer.putShort(GEOMETRY, (short) cylinders).put(GEOMETRY + 2, (byte) heads)
                .put(GEOMETRY + 3, (byte) sectors);
    }

    /** The ones' complement of the byte sum of {@code bytes}, the four bytes at {@code checksumAt} counted as zero. */
    static int checksum(byte[] bytes, int checksumAt) {
        int sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (i < checksumAt || i >= checksumAt + 4) {
                sum += bytes[i] & 0xff;
            }
        }
        return ~sum;
    }

    /** The 16 bytes of the footer's unique id (from the end footer). */
    static byte[] uniqueId(Path vhd) {
        try (FileChannel channel = FileChannel.open(vhd, StandardOpenOption.READ)) {
            ByteBuffer id = ByteBuffer.allocate(16);
            channel.read(id, channel.size() - 512 + UNIQUE_ID);
            return id.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Big-endian bytes of {@code value} written at {@code offset} of a copy, nothing else changed. */
    static Path poke(Path good, String name, long offset, byte[] bytes) {
        Path copy = good.resolveSibling(name);
        try {
            Files.copy(good, copy, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(bytes), offset);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

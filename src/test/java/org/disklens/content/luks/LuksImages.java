package org.disklens.content.luks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.disklens.crypto.SectorCipher;

/**
 * What the LUKS tests share: filling a LUKS volume's payload, and rewriting a LUKS2 header's JSON with both copies'
 * checksums made right again (so hostile values reach the parser instead of stopping at a checksum).
 */
final class LuksImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LuksImages() {
    }

    /**
     * Encrypts {@code plain} into {@code luks} from {@code payloadOffset}, sector by sector as dm-crypt does (IV = the
     * sector's number in 512-byte units). This uses DiskLens's own {@link SectorCipher}, which XtsTest and CbcTest check
     * against the IEEE 1619 vectors and OpenSSL (one openssl call per sector would take minutes), and which
     * LuksCryptsetupTest checks against cryptsetup's own encryption with 512- and 4096-byte sectors.
     */
    static void encryptInto(Path plain, Path luks, long payloadOffset, byte[] key, String cipher, int sectorSize)
            throws IOException {
        try (SectorCipher sectors = SectorCipher.of(cipher, key);
             FileChannel in = FileChannel.open(plain);
             FileChannel out = FileChannel.open(luks, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long at = 0;
            while (true) {
                buffer.clear();
                int read = in.read(buffer, at);
                if (read <= 0) {
                    break;
                }
                int length = (read + sectorSize - 1) / sectorSize * sectorSize;
                byte[] data = Arrays.copyOf(buffer.array(), length);
                for (int done = 0; done < length; done += sectorSize) {
                    sectors.encrypt((at + done) / 512, data, done, sectorSize);
                }
                out.write(ByteBuffer.wrap(data), payloadOffset + at);
                at += read;
            }
        }
    }

    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    /** A copy of {@code good} named {@code name} whose LUKS2 JSON {@code edit} changed. */
    static Path editJson(Path good, String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode json = (ObjectNode) JSON.readTree(jsonText(good));
        edit.accept(json);
        return withJsonText(good, name, JSON.writeValueAsString(json));
    }

    /** The JSON text of {@code image}'s primary LUKS2 header. */
    static String jsonText(Path image) throws IOException {
        byte[] bytes = Files.readAllBytes(image);
        long size = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getLong(8);
        int end = 4096;
        while (end < size && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 4096, end - 4096, StandardCharsets.UTF_8);
    }

    /** A copy of {@code good} with {@code text} as the JSON of both header copies, their checksums made right. */
    static Path withJsonText(Path good, String name, String text) throws IOException {
        Path copy = good.resolveSibling(name);
        Files.copy(good, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] bytes = Files.readAllBytes(copy);
        int size = (int) ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getLong(8);
        byte[] json = text.getBytes(StandardCharsets.UTF_8);
        if (json.length >= size - 4096) {
            throw new IllegalArgumentException("JSON of %d bytes does not fit in %d".formatted(json.length, size - 4096));
        }
        for (int copyAt : new int[] {0, size}) {
            byte[] area = Arrays.copyOfRange(bytes, copyAt, copyAt + size);
            Arrays.fill(area, 4096, size, (byte) 0);
            System.arraycopy(json, 0, area, 4096, json.length);
            checksum(area);
            System.arraycopy(area, 0, bytes, copyAt, size);
        }
        Files.write(copy, bytes);
        return copy;
    }

    /** Sets the SHA-256 checksum of one header copy (its csum field zeroed while hashing). */
    static void checksum(byte[] area) {
        try {
            Arrays.fill(area, 448, 448 + 64, (byte) 0);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(area);
            System.arraycopy(digest, 0, area, 448, digest.length);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

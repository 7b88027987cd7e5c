package org.disklens.image.qcow2;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.disklens.image.CorruptImage;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * One compressed cluster: raw deflate (zlib without header, qemu's default) or a zstd frame. Decoding stops
 * once a cluster is produced; output never exceeds one cluster whatever the input claims.
 */
record Qcow2CompressedCluster(BlockSource source, long hostOffset, int compressedLength, int clusterSize,
                              int compressionType) implements Mapping.CompressedUnit {

    @Override
    public int decodedSize() {
        return clusterSize;
    }

    @Override
    public void decodeInto(ByteBuffer dst) throws IOException {
        // The last sector of the last cluster may be partly past the end of the file: read what exists.
        long available = Math.max(0, source.size() - hostOffset);
        byte[] input = new byte[(int) Math.min(compressedLength, available)];
        source.read(hostOffset, ByteBuffer.wrap(input));
        byte[] output = new byte[clusterSize];
        int produced = compressionType == 1 ? zstd(input, output) : deflate(input, output);
        if (produced != clusterSize) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset,
                    "decompressed to %d bytes instead of %d".formatted(produced, clusterSize));
        }
        dst.put(output);
    }

    private int deflate(byte[] input, byte[] output) throws CorruptImage {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(input);
            int produced = 0;
            while (produced < output.length && !inflater.finished() && !inflater.needsInput()) {
                int count = inflater.inflate(output, produced, output.length - produced);
                if (count == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
                    break;
                }
                produced += count;
            }
            return produced;
        } catch (DataFormatException invalid) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid deflate data: " + invalid.getMessage());
        } finally {
            inflater.end();
        }
    }

    /**
     * One zstd frame. The input runs on past the frame (compressed clusters are packed and the length is rounded to
     * sectors), and aircompressor's stream decoder treats those bytes as a next frame and fails; so the frame's
     * own length is found from its headers and only the frame is decoded.
     */
    private int zstd(byte[] input, byte[] output) throws CorruptImage {
        int frameLength = zstdFrameLength(input);
        try {
            return new ZstdDecompressor().decompress(input, 0, frameLength, output, 0, output.length);
        } catch (RuntimeException invalid) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: " + invalid.getMessage());
        }
    }

    private static final int ZSTD_MAGIC = 0xFD2FB528;

    /** The length of the zstd frame at the start of {@code input} (RFC 8878 frame and block headers). */
    private int zstdFrameLength(byte[] input) throws CorruptImage {
        ByteBuffer bytes = ByteBuffer.wrap(input).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (input.length < 5 || bytes.getInt(0) != ZSTD_MAGIC) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: no zstd frame magic");
        }
        int descriptor = input[4] & 0xff;
        boolean singleSegment = (descriptor & 0x20) != 0;
        int contentSizeFlag = descriptor >>> 6;
        int at = 5 + (singleSegment ? 0 : 1) + new int[] {0, 1, 2, 4}[descriptor & 3]
                + (contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << contentSizeFlag);
        boolean last = false;
        while (!last) {
            if (at + 3 > input.length) {
                throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: truncated frame");
            }
            int header = (input[at] & 0xff) | (input[at + 1] & 0xff) << 8 | (input[at + 2] & 0xff) << 16;
            last = (header & 1) != 0;
            int type = (header >>> 1) & 3;
            int size = header >>> 3;
            if (type == 3) {
                throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: reserved block type");
            }
            at += 3 + (type == 1 ? 1 : size);
        }
        at += (descriptor & 0x04) != 0 ? 4 : 0;
        if (at > input.length) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: truncated frame");
        }
        return at;
    }
}

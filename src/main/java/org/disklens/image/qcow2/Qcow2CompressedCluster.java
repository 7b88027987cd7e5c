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

    private int zstd(byte[] input, byte[] output) throws CorruptImage {
        int frameLength = ZstdFrame.length(input, hostOffset);
        try {
            return new ZstdDecompressor().decompress(input, 0, frameLength, output, 0, output.length);
        } catch (RuntimeException invalid) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "invalid zstd data: " + invalid.getMessage());
        }
    }
}

package org.disklens.image.vmdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.disklens.image.CorruptImage;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * One compressed grain of a streamOptimized extent: a grain marker (guest LBA, compressed size) followed by
 * a zlib stream (with header) of one grain. Without markers the zlib stream starts at the grain's sector.
 * Decoding never produces more than one grain.
 */
record CompressedGrain(BlockSource source, long hostOffset, int grainBytes, boolean markers) implements Mapping.CompressedUnit {
    private static final int MARKER_BYTES = 12;

    @Override
    public int decodedSize() {
        return grainBytes;
    }

    @Override
    public void decodeInto(ByteBuffer dst) throws IOException {
        byte[] input = compressedBytes();
        byte[] output = new byte[grainBytes];
        Inflater inflater = new Inflater(false);
        int produced = 0;
        try {
            inflater.setInput(input);
            while (produced < grainBytes && !inflater.finished()) {
                int count = inflater.inflate(output, produced, grainBytes - produced);
                if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                produced += count;
            }
        } catch (DataFormatException invalid) {
            throw new CorruptImage("vmdk", "compressed grain", hostOffset, "invalid zlib data: " + invalid.getMessage());
        } finally {
            inflater.end();
        }
        if (produced != grainBytes) {
            throw new CorruptImage("vmdk", "compressed grain", hostOffset,
                    "decompressed to %d bytes instead of %d".formatted(produced, grainBytes));
        }
        dst.put(output);
    }

    private byte[] compressedBytes() throws IOException {
        long available = source.size() - hostOffset;
        if (available <= (markers ? MARKER_BYTES : 0)) {
            throw new CorruptImage("vmdk", "compressed grain", hostOffset, "starts past the end of the file");
        }
        if (!markers) {
            byte[] input = new byte[(int) Math.min(available, 2L * grainBytes)];
            source.read(hostOffset, ByteBuffer.wrap(input));
            return input;
        }
        ByteBuffer marker = source.read(hostOffset, MARKER_BYTES, ByteOrder.LITTLE_ENDIAN);
        long size = Integer.toUnsignedLong(marker.getInt(8));
        if (size == 0 || size > 2L * grainBytes || size > available - MARKER_BYTES) {
            throw new CorruptImage("vmdk", "compressed grain", hostOffset,
                    "compressed size %d is zero, larger than two grains, or past the end of the file".formatted(size));
        }
        byte[] input = new byte[(int) size];
        source.read(hostOffset + MARKER_BYTES, ByteBuffer.wrap(input));
        return input;
    }
}

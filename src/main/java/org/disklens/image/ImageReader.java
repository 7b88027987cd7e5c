package org.disklens.image;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The one generic reader: guest bytes of a whole chain, from the layers' mappings. Unallocated runs fall
 * through to the next layer; past a layer's end, or below the last one, the guest reads zeroes.
 * Not thread-safe (it keeps the last decoded compressed unit); use one per thread.
 */
public final class ImageReader {
    private final ImageChain chain;
    private final DecodedUnits decoded = new DecodedUnits();

    public ImageReader(ImageChain chain) {
        this.chain = chain;
    }

    public long size() {
        return chain.virtualSize();
    }

    /** Fills {@code dst} with the guest bytes from {@code guestOffset}; reading past the disk's end is an error. */
    public void read(long guestOffset, ByteBuffer dst) throws IOException {
        if (guestOffset < 0 || guestOffset > size() - dst.remaining()) {
            throw new java.io.EOFException("read of %d bytes at guest offset %d is past the end of the disk (%d bytes)"
                    .formatted(dst.remaining(), guestOffset, size()));
        }
        readLayer(0, guestOffset, dst);
    }

    private void readLayer(int depth, long guestOffset, ByteBuffer dst) throws IOException {
        long at = guestOffset;
        while (dst.hasRemaining()) {
            if (depth >= chain.size() || at >= chain.layer(depth).virtualSize()) {
                DecodedUnits.fillZero(dst, dst.remaining());
                return;
            }
            DiskImage layer = chain.layer(depth);
            int wanted = (int) Math.min(dst.remaining(), layer.virtualSize() - at);
            Mapping mapping = layer.map(at, wanted);
            int length = (int) Math.min(mapping.length(), wanted);
            ByteBuffer part = dst.slice(dst.position(), length);
            switch (mapping) {
                case Mapping.Data data -> readData(layer, data, at, part);
                case Mapping.Zero zero -> DecodedUnits.fillZero(part, length);
                case Mapping.Unallocated unallocated -> readLayer(depth + 1, at, part);
                case Mapping.Compressed compressed -> decoded.copy(compressed, part);
                case Mapping.Encrypted encrypted -> encrypted.plaintext().read(part);
            }
            dst.position(dst.position() + length);
            at += length;
        }
    }

    /** A data run the metadata places past the end of its file is a corrupt image, said with the guest offset. */
    private static void readData(DiskImage layer, Mapping.Data data, long guestOffset, ByteBuffer part) throws IOException {
        try {
            data.source().read(data.hostOffset(), part);
        } catch (java.io.EOFException pastEnd) {
            throw new CorruptImage(layer.format(), "data for guest offset 0x%x".formatted(guestOffset), data.hostOffset(),
                    "lies past the end of %s (0x%x bytes)".formatted(data.source().name(), data.source().size()));
        }
    }
}

package org.disklens.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageReader;
import org.disklens.io.BlockSource;

/**
 * The guest-visible bytes of an image chain as a {@link BlockSource}, so partition tables and file systems
 * are read the same way inside raw, qcow2, vmdk and ISO images. Reads are serialised (one reader).
 */
public final class GuestView implements BlockSource {
    private final ImageChain chain;
    private final ImageReader reader;

    public GuestView(ImageChain chain) {
        this.chain = chain;
        this.reader = new ImageReader(chain);
    }

    @Override
    public String name() {
        return chain.top().source().name();
    }

    @Override
    public long size() {
        return chain.virtualSize();
    }

    @Override
    public synchronized void read(long position, ByteBuffer dst) throws IOException {
        if (position < 0 || position > size() - dst.remaining()) {
            throw BlockSource.pastEnd(name(), position, dst.remaining(), size());
        }
        reader.read(position, dst);
    }

    /** The chain stays owned by whoever opened it. */
    @Override
    public void close() {
    }
}

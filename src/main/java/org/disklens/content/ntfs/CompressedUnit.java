package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.disklens.image.Mapping;
import org.disklens.io.BlockSource;

/**
 * One compression unit of an LZNT1-compressed stream (16 clusters as NTFS writes them): its compressed bytes are the
 * unit's allocated clusters, which may lie in several runs ({@code fragments}, in VCN order); it decodes to
 * {@code decodedSize} bytes, never more.
 */
record CompressedUnit(BlockSource volume, List<Fragment> fragments, int decodedSize) implements Mapping.CompressedUnit {
    /** {@code length} compressed bytes at {@code volumeOffset}. */
    record Fragment(long volumeOffset, int length) {
    }

    @Override
    public long hostOffset() {
        return fragments.getFirst().volumeOffset();
    }

    @Override
    public void decodeInto(ByteBuffer dst) throws IOException {
        int total = fragments.stream().mapToInt(Fragment::length).sum();
        ByteBuffer input = ByteBuffer.allocate(total);
        for (Fragment fragment : fragments) {
            Geometry.readInto(volume, fragment.volumeOffset(), input.slice(input.position(), fragment.length()),
                    "compression unit");
            input.position(input.position() + fragment.length());
        }
        byte[] output = new byte[decodedSize];
        Lznt1.decode(input.array(), output, hostOffset());
        dst.put(output);
    }
}

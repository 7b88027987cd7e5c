package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageFormat;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/** qcow2: recognised by its magic {@code QFI\xfb}. */
public final class Qcow2Format implements ImageFormat {
    @Override
    public String name() {
        return "qcow2";
    }

    @Override
    public int probe(BlockSource source) throws IOException {
        if (source.size() < 8) {
            return 0;
        }
        ByteBuffer start = source.read(0, 8, ByteOrder.BIG_ENDIAN);
        if (start.getInt(0) != Qcow2Header.MAGIC) {
            return 0;
        }
        // Any version claims the file, so that version 1 or 4 gets a clear refusal rather than "raw".
        return start.getInt(4) >= 2 ? 100 : 50;
    }

    @Override
    public DiskImage open(BlockSource source, OpenContext context) throws IOException {
        return Qcow2Image.open(source, context);
    }
}

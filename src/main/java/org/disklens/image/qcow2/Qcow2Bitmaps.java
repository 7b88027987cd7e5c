package org.disklens.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.disklens.image.Bounds;
import org.disklens.image.CorruptImage;
import org.disklens.io.BlockSource;

/** The persistent dirty bitmaps listed in the bitmap directory. */
final class Qcow2Bitmaps {
    static final int FLAG_IN_USE = 1;
    static final int FLAG_AUTO = 1 << 1;
    private static final int FIXED_PART = 24;
    private static final int MAX_NAME = 1023;

    /** One bitmap directory entry. */
    record Bitmap(String name, long tableOffset, long tableSize, int flags, int type, int granularityBits) {
        long granularity() {
            return 1L << granularityBits;
        }

        /** The flag names qemu-img shows: {@code in-use}, {@code auto}. */
        List<String> flagNames() {
            List<String> names = new ArrayList<>();
            if ((flags & FLAG_IN_USE) != 0) {
                names.add("in-use");
            }
            if ((flags & FLAG_AUTO) != 0) {
                names.add("auto");
            }
            return names;
        }
    }

    private Qcow2Bitmaps() {
    }

    static List<Bitmap> read(BlockSource source, Qcow2Extensions.BitmapsExtension extension, int clusterSize)
            throws IOException {
        long offset = extension.directoryOffset();
        Bounds.checkAligned("qcow2", "bitmap directory", offset, clusterSize);
        Bounds.checkTable("qcow2", "bitmap directory", offset, extension.directorySize(), 1,
                Qcow2Extensions.MAX_BITMAP_DIRECTORY_SIZE, source.size());
        ByteBuffer directory = source.read(offset, (int) extension.directorySize(), ByteOrder.BIG_ENDIAN);
        List<Bitmap> bitmaps = new ArrayList<>();
        int at = 0;
        for (long index = 0; index < extension.count(); index++) {
            if (at + FIXED_PART > directory.limit()) {
                throw new CorruptImage("qcow2", "bitmap directory", offset, "entry %d runs past its end".formatted(index));
            }
            int nameLength = Short.toUnsignedInt(directory.getShort(at + 18));
            long extraLength = Integer.toUnsignedLong(directory.getInt(at + 20));
            long entryEnd = at + FIXED_PART + extraLength + nameLength;
            if (nameLength == 0 || nameLength > MAX_NAME || entryEnd > directory.limit()) {
                throw new CorruptImage("qcow2", "bitmap directory", offset + at,
                        "entry %d has an invalid name length %d or runs past the directory".formatted(index, nameLength));
            }
            byte[] name = new byte[nameLength];
            directory.get((int) (at + FIXED_PART + extraLength), name);
            bitmaps.add(new Bitmap(new String(name, StandardCharsets.UTF_8), directory.getLong(at),
                    Integer.toUnsignedLong(directory.getInt(at + 8)), directory.getInt(at + 12),
                    Byte.toUnsignedInt(directory.get(at + 16)), Byte.toUnsignedInt(directory.get(at + 17))));
            at = (int) ((entryEnd + 7) & ~7L);
        }
        return List.copyOf(bitmaps);
    }
}

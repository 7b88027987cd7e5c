package org.disklens.content.btrfs;

import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;

/**
 * A file extent item (key (inode, EXTENT_DATA 108, file offset)): generation u64 @0, ram_bytes u64 @8, compression
 * u8 @16 (0 none, 1 zlib, 2 lzo, 3 zstd), encryption u8 @17, other_encoding u16 @18, type u8 @20 (0 inline, 1
 * regular, 2 prealloc). Inline: the (possibly compressed) data from @21. Regular and prealloc: disk_bytenr u64 @21 (0:
 * a hole), disk_num_bytes @29, offset @37 (into the decoded extent), num_bytes @45.
 */
record FileExtent(long fileOffset, long ramBytes, int compression, int encryption, int otherEncoding, int type,
                  long diskBytenr, long diskNumBytes, long offset, long numBytes, int inlineStart, int inlineLength) {
    static final int INLINE_HEADER = 21;
    static final int REGULAR_SIZE = 53;
    static final int INLINE = 0;
    static final int REGULAR = 1;
    static final int PREALLOC = 2;

    static FileExtent parse(ByteBuffer data, long fileOffset, String what, long where) throws CorruptImage {
        int at = data.position();
        int size = data.remaining();
        if (size < INLINE_HEADER) {
            throw new CorruptImage("btrfs", what, where, "file extent item of %d bytes is too short".formatted(size));
        }
        long ramBytes = data.getLong(at + 8);
        int compression = Byte.toUnsignedInt(data.get(at + 16));
        int encryption = Byte.toUnsignedInt(data.get(at + 17));
        int otherEncoding = Short.toUnsignedInt(data.getShort(at + 18));
        int type = Byte.toUnsignedInt(data.get(at + 20));
        if (fileOffset < 0) {
            throw new CorruptImage("btrfs", what, where, "file offset %s is past 2^63".formatted(Long.toUnsignedString(fileOffset)));
        }
        if (type == INLINE) {
            return new FileExtent(fileOffset, ramBytes, compression, encryption, otherEncoding, type, 0, 0, 0,
                    ramBytes, at + INLINE_HEADER, size - INLINE_HEADER);
        }
        if (type != REGULAR && type != PREALLOC) {
            throw new CorruptImage("btrfs", what, where, "file extent type %d is none of inline, regular, prealloc".formatted(type));
        }
        if (size < REGULAR_SIZE) {
            throw new CorruptImage("btrfs", what, where, "file extent item of %d bytes is too short".formatted(size));
        }
        long diskBytenr = data.getLong(at + 21);
        long diskNumBytes = data.getLong(at + 29);
        long offset = data.getLong(at + 37);
        long numBytes = data.getLong(at + 45);
        if (numBytes <= 0 || offset < 0 || numBytes > Long.MAX_VALUE - fileOffset || diskBytenr < 0 || diskNumBytes < 0
                || diskBytenr > Long.MAX_VALUE - diskNumBytes) {
            throw new CorruptImage("btrfs", what, where, "extent (disk 0x%x + 0x%x, offset 0x%x, 0x%x bytes) is out of range"
                    .formatted(diskBytenr, diskNumBytes, offset, numBytes));
        }
        return new FileExtent(fileOffset, ramBytes, compression, encryption, otherEncoding, type, diskBytenr,
                diskNumBytes, offset, numBytes, 0, 0);
    }

    /** The first file offset past this extent. */
    long end() {
        return fileOffset + numBytes;
    }

    boolean hole() {
        return type == PREALLOC || diskBytenr == 0;
    }
}

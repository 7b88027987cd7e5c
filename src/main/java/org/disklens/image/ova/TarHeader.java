package org.disklens.image.ova;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.disklens.image.CorruptImage;

/**
 * One 512-byte tar header block (POSIX ustar, GNU or old V7), as far as an OVA needs it: the member's name (ustar's
 * prefix joined), its size (octal, or GNU's base-256 for sizes past 8 GiB; both decoded by Commons Compress's
 * {@code TarUtils}), its type flag and link name. The checksum is verified ({@code TarUtils.verifyCheckSum}: the
 * unsigned sum, or the signed one old tars wrote).
 *
 * <pre>
 *   0 name[100]   100 mode[8]   108 uid[8]   116 gid[8]   124 size[12]   136 mtime[12]   148 chksum[8]
 * 156 typeflag    157 linkname[100]   257 magic[6] ("ustar\0" POSIX, "ustar " GNU)   263 version[2]
 * 265 uname[32]   297 gname[32]   329 devmajor[8]   337 devminor[8]   345 prefix[155] (POSIX only)
 * </pre>
 *
 * @param hostOffset where the block is in the file
 * @param size       the size field: bytes of data that follow the header (for data-bearing types)
 * @param ustar      POSIX ustar magic (then {@code prefix} is part of the name)
 * @param gnu        GNU magic ({@code "ustar  \0"})
 */
record TarHeader(long hostOffset, String name, long size, char type, String linkName, boolean ustar, boolean gnu) {
    static final int BLOCK = 512;

    /** Regular file (ustar '0', old tars '\0'), contiguous file ('7'). */
    boolean regularFile() {
        return type == '0' || type == '\0' || type == '7';
    }

    /**
     * Whether data blocks follow the header: not for links, devices, directories and FIFOs, whatever their size
     * field says (as GNU tar reads them).
     */
    boolean hasData() {
        return switch (type) {
            case '1', '2', '3', '4', '5', '6' -> false;
            default -> true;
        };
    }

    /** A block of zeroes: the end-of-archive marker (two of them, by the book; tar stops at the first). */
    static boolean isZeroBlock(ByteBuffer block) {
        for (int i = block.position(); i < block.limit(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the header in {@code block} (512 bytes), found at {@code hostOffset}; refuses a bad checksum. */
    static TarHeader parse(ByteBuffer block, long hostOffset, String format) throws CorruptImage {
        if (block.remaining() < BLOCK) {
            throw new CorruptImage(format, "tar header", hostOffset, "the file ends inside the header");
        }
        byte[] bytes = new byte[BLOCK];
        block.get(block.position(), bytes);
        try {
            if (!TarUtils.verifyCheckSum(bytes)) {
                throw new CorruptImage(format, "tar header", hostOffset, "checksum mismatch: not a tar header");
            }
        } catch (IllegalArgumentException notOctal) {
            throw new CorruptImage(format, "tar header", hostOffset, "checksum field is not an octal number");
        }
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(bytes, 124, 12);
        } catch (IllegalArgumentException invalid) {
            throw new CorruptImage(format, "tar header", hostOffset, "size field is not a number");
        }
        if (size < 0) {
            throw new CorruptImage(format, "tar header", hostOffset, "negative or oversized size field");
        }
        boolean ustar = matches(bytes, 257, "ustar\0");
        boolean gnu = matches(bytes, 257, "ustar ");
        String name = string(bytes, 0, 100);
        if (ustar) {
            String prefix = string(bytes, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return new TarHeader(hostOffset, name, size, (char) (bytes[156] & 0xff), string(bytes, 157, 100), ustar, gnu);
    }

    private static boolean matches(byte[] bytes, int offset, String magic) {
        for (int i = 0; i < magic.length(); i++) {
            if (bytes[offset + i] != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A NUL-terminated (or field-long) UTF-8 string, as GNU tar and pax store names. */
    static String string(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}

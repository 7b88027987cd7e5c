package org.disklens.image.qcow2;

import org.disklens.image.CorruptImage;

/**
 * The length of one zstd frame (RFC 8878, section 3.1.1), found by walking its header and block headers
 * without decoding. A qcow2 compressed cluster holds one frame followed by whatever fills its last sector;
 * the decoder must be given the frame alone.
 */
final class ZstdFrame {
    private static final int MAGIC = 0xFD2FB528;

    private ZstdFrame() {
    }

    static int length(byte[] input, long hostOffset) throws CorruptImage {
        if (input.length < 6 || littleEndianInt(input, 0) != MAGIC) {
            throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "no zstd frame magic");
        }
        int descriptor = input[4] & 0xff;
        int contentSizeFlag = descriptor >>> 6;
        boolean singleSegment = (descriptor & 0x20) != 0;
        boolean checksum = (descriptor & 0x04) != 0;
        int dictionaryIdFlag = descriptor & 0x03;
        int at = 5 + (singleSegment ? 0 : 1) + new int[] {0, 1, 2, 4}[dictionaryIdFlag]
                + new int[] {singleSegment ? 1 : 0, 2, 4, 8}[contentSizeFlag];
        while (true) {
            if (at + 3 > input.length) {
                throw truncated(hostOffset);
            }
            int header = (input[at] & 0xff) | (input[at + 1] & 0xff) << 8 | (input[at + 2] & 0xff) << 16;
            boolean last = (header & 1) != 0;
            int type = (header >>> 1) & 3;
            int size = header >>> 3;
            if (type == 3) {
                throw new CorruptImage("qcow2", "compressed cluster", hostOffset, "reserved zstd block type");
            }
            at += 3 + (type == 1 ? 1 : size);
            if (last) {
                break;
            }
        }
        at += checksum ? 4 : 0;
        if (at > input.length) {
            throw truncated(hostOffset);
        }
        return at;
    }

    private static CorruptImage truncated(long hostOffset) {
        return new CorruptImage("qcow2", "compressed cluster", hostOffset, "zstd frame runs past the compressed data");
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
    }
}

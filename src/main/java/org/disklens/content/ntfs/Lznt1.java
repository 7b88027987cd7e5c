package org.disklens.content.ntfs;

import org.disklens.image.CorruptImage;

/**
 * LZNT1 ([MS-XCA] 2.5), the compression of NTFS compressed files: a series of chunks, each decoding to at most
 * 4 KiB, with a 16-bit header (bits 0-11: body size - 1, bit 15: compressed; 0 ends the stream). A compressed body is
 * groups of a flag byte and eight tokens: a literal byte (flag bit clear) or a 16-bit back-reference whose split
 * between offset and length depends on how much of the chunk is already decoded (4 offset bits up to 16 bytes, one
 * more each time that doubles, up to 12). Decoding never writes past the output; a chunk that decodes short leaves
 * zeroes, as does a stream that ends early (Windows and libfsntfs read such units the same way).
 */
final class Lznt1 {
    static final int CHUNK = 4096;

    private Lznt1() {
    }

    /** Decodes {@code input} into {@code output} (which it fills, or leaves zero past the decoded bytes). */
    static void decode(byte[] input, byte[] output, long hostOffset) throws CorruptImage {
        int in = 0;
        for (int chunkStart = 0; chunkStart < output.length && in + 2 <= input.length; chunkStart += CHUNK) {
            int header = (input[in] & 0xFF) | (input[in + 1] & 0xFF) << 8;
            in += 2;
            if (header == 0) {
                return;
            }
            int bodyEnd = Math.min(input.length, in + (header & 0xFFF) + 1);
            int chunkEnd = Math.min(output.length, chunkStart + CHUNK);
            if ((header & 0x8000) == 0) {
                System.arraycopy(input, in, output, chunkStart, Math.min(bodyEnd - in, chunkEnd - chunkStart));
            } else {
                chunk(input, in, bodyEnd, output, chunkStart, chunkEnd, hostOffset);
            }
            in = bodyEnd;
        }
    }

    private static void chunk(byte[] input, int in, int bodyEnd, byte[] output, int chunkStart, int chunkEnd,
                              long hostOffset) throws CorruptImage {
        int out = chunkStart;
        while (in < bodyEnd) {
            int flags = input[in++] & 0xFF;
            for (int bit = 0; bit < 8 && in < bodyEnd; bit++) {
                if ((flags & (1 << bit)) == 0) {
                    if (out >= chunkEnd) {
                        return;
                    }
                    output[out++] = input[in++];
                    continue;
                }
                if (in + 2 > bodyEnd) {
                    return;
                }
                int token = (input[in] & 0xFF) | (input[in + 1] & 0xFF) << 8;
                in += 2;
                int decoded = out - chunkStart;
                int offsetBits = Math.max(4, 32 - Integer.numberOfLeadingZeros(decoded - 1));
                int lengthBits = 16 - offsetBits;
                int distance = (token >>> lengthBits) + 1;
                int length = (token & ((1 << lengthBits) - 1)) + 3;
                if (decoded == 0 || distance > decoded) {
                    throw new CorruptImage(Geometry.NAMING, "LZNT1 compression unit", hostOffset,
                            "a back-reference %d bytes before the start of its chunk".formatted(distance - decoded));
                }
                int end = Math.min(chunkEnd, out + length);
                while (out < end) {
                    output[out] = output[out - distance];
                    out++;
                }
            }
        }
    }
}

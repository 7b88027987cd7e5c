package org.disklens.content.btrfs;

import io.airlift.compress.lzo.LzoDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.disklens.image.CorruptImage;
import org.disklens.image.UnsupportedFeature;

/**
 * The three compressions of Btrfs extents, each decoding into a buffer of the extent's decoded size and never past it.
 * zlib: one zlib stream (with its header). LZO: btrfs's own framing of LZO1X: a LE32 total length (header
 * included), then segments, each a LE32 length and the LZO1X data of at most one sector; a segment header never
 * crosses a sector boundary (the up to 3 bytes left are zero padding). zstd: one zstd frame (the zero padding up to
 * the sector after it is not read). A stream that ends before filling the buffer leaves zeroes, as the kernel does.
 */
final class Decompression {
    static final int NONE = 0;
    static final int ZLIB = 1;
    static final int LZO = 2;
    static final int ZSTD = 3;
    private static final int LZO_HEADER = 4;
    private static final int ZSTD_MAGIC = 0xFD2FB528;

    private Decompression() {
    }

    static String name(int compression) {
        return switch (compression) {
            case NONE -> "none";
            case ZLIB -> "zlib";
            case LZO -> "lzo";
            case ZSTD -> "zstd";
            default -> "type " + compression;
        };
    }

    static void checkKnown(int compression, String what, long where) throws UnsupportedFeature {
        if (compression > ZSTD) {
            throw new UnsupportedFeature(BtrfsVolume.NAMING, what, where, "compression type %d is not one DiskLens knows"
                    .formatted(compression));
        }
    }

    /** Decodes {@code input[0, length)} into the whole of {@code output}. */
    static void decode(int compression, byte[] input, int length, byte[] output, int sectorSize, String what, long where)
            throws CorruptImage {
        try {
            switch (compression) {
                case ZLIB -> zlib(input, length, output, what, where);
                case LZO -> lzo(input, length, output, sectorSize, what, where);
                case ZSTD -> zstd(input, length, output, what, where);
                default -> throw new CorruptImage(BtrfsVolume.NAMING, what, where, "compression type %d".formatted(compression));
            }
        } catch (RuntimeException invalid) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "invalid %s data: %s".formatted(name(compression),
                    invalid.getMessage()));
        }
    }

    private static void zlib(byte[] input, int length, byte[] output, String what, long where) throws CorruptImage {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input, 0, length);
            int produced = 0;
            while (produced < output.length && !inflater.finished()) {
                int count = inflater.inflate(output, produced, output.length - produced);
                if (count == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CorruptImage(BtrfsVolume.NAMING, what, where, "zlib stream ends after %d of %d bytes"
                            .formatted(produced, output.length));
                }
                produced += count;
            }
        } catch (DataFormatException invalid) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "invalid zlib data: " + invalid.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static void lzo(byte[] input, int length, byte[] output, int sectorSize, String what, long where)
            throws CorruptImage {
        if (length < LZO_HEADER) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "LZO data of %d bytes has no header".formatted(length));
        }
        long total = littleEndian32(input, 0);
        if (total < LZO_HEADER || total > length) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "LZO total length %d is not within the %d bytes stored"
                    .formatted(total, length));
        }
        int worstSegment = sectorSize + sectorSize / 16 + 64 + 3;
        byte[] segment = new byte[sectorSize];
        int at = LZO_HEADER;
        int produced = 0;
        while (at < total && produced < output.length) {
            int sectorLeft = sectorSize - at % sectorSize;
            if (sectorLeft < LZO_HEADER) {
                at += sectorLeft;
                continue;
            }
            if (total - at < LZO_HEADER) {
                throw new CorruptImage(BtrfsVolume.NAMING, what, where + at, "LZO segment header is cut short");
            }
            long segmentLength = littleEndian32(input, at);
            at += LZO_HEADER;
            if (segmentLength > total - at || segmentLength > worstSegment) {
                throw new CorruptImage(BtrfsVolume.NAMING, what, where + at, "LZO segment of %d bytes does not fit"
                        .formatted(segmentLength));
            }
            int decoded = new LzoDecompressor().decompress(input, at, (int) segmentLength, segment, 0, segment.length);
            int copied = Math.min(decoded, output.length - produced);
            System.arraycopy(segment, 0, output, produced, copied);
            produced += copied;
            at += (int) segmentLength;
        }
    }

    private static void zstd(byte[] input, int length, byte[] output, String what, long where) throws CorruptImage {
        int frame = zstdFrameLength(input, length, what, where);
        new ZstdDecompressor().decompress(input, 0, frame, output, 0, output.length);
    }

    /** The length of the zstd frame at the start of {@code input}: header, blocks, optional checksum. */
    static int zstdFrameLength(byte[] input, int length, String what, long where) throws CorruptImage {
        if (length < 6 || (int) littleEndian32(input, 0) != ZSTD_MAGIC) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "no zstd frame magic");
        }
        int descriptor = input[4] & 0xFF;
        boolean singleSegment = (descriptor & 0x20) != 0;
        int contentSizeFlag = descriptor >>> 6;
        int at = 5 + (singleSegment ? 0 : 1) + new int[] {0, 1, 2, 4}[descriptor & 3]
                + (contentSizeFlag == 0 ? (singleSegment ? 1 : 0) : 1 << contentSizeFlag);
        while (true) {
            if (length - at < 3) {
                throw new CorruptImage(BtrfsVolume.NAMING, what, where, "zstd frame is cut short");
            }
            int header = (input[at] & 0xFF) | (input[at + 1] & 0xFF) << 8 | (input[at + 2] & 0xFF) << 16;
            at += 3;
            int type = (header >>> 1) & 3;
            if (type == 3) {
                throw new CorruptImage(BtrfsVolume.NAMING, what, where, "zstd block of the reserved type");
            }
            at += type == 1 ? 1 : header >>> 3;
            if (at > length) {
                throw new CorruptImage(BtrfsVolume.NAMING, what, where, "zstd block runs past the stored data");
            }
            if ((header & 1) != 0) {
                break;
            }
        }
        at += (descriptor & 4) != 0 ? 4 : 0;
        if (at > length) {
            throw new CorruptImage(BtrfsVolume.NAMING, what, where, "zstd checksum runs past the stored data");
        }
        return at;
    }

    private static long littleEndian32(byte[] bytes, int at) {
        return (bytes[at] & 0xFFL) | (bytes[at + 1] & 0xFFL) << 8 | (bytes[at + 2] & 0xFFL) << 16
                | (bytes[at + 3] & 0xFFL) << 24;
    }
}

package org.disklens.content;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.disklens.io.BlockSource;

/**
 * The volume recognition area that ISO 9660 (ECMA-119) and UDF (ECMA-167 part 2) share: descriptors from 32 KiB on,
 * each starting with a type byte and a five-letter identifier ({@code CD001}, {@code BEA01}, {@code NSR02},
 * {@code NSR03}, {@code TEA01}, ...). A UDF bridge disc carries both file systems' descriptors there.
 */
public final class VolumeRecognition {
    public static final int SECTOR = 2048;
    public static final long FIRST_DESCRIPTOR = 16L * SECTOR;
    /** A descriptor sequence longer than this is hostile (real ones have three to five). */
    public static final int MAX_DESCRIPTORS = 64;

    private VolumeRecognition() {
    }

    /**
     * UDF's volume recognition sequence: an NSR02 or NSR03 descriptor among those from 32 KiB on, one per 2 KiB (or
     * per block, for blocks larger than that).
     */
    public static boolean hasUdfRecognition(BlockSource source) throws IOException {
        return hasUdfRecognition(source, SECTOR) || hasUdfRecognition(source, 4096);
    }

    private static boolean hasUdfRecognition(BlockSource source, int step) throws IOException {
        for (int index = 0; index < MAX_DESCRIPTORS; index++) {
            long at = FIRST_DESCRIPTOR + index * (long) step;
            if (at + 8 > source.size()) {
                return false;
            }
            String id = identifier(source, at);
            if (id.equals("NSR02") || id.equals("NSR03")) {
                return true;
            }
            if (!id.equals("CD001") && !id.equals("BEA01") && !id.equals("BOOT2") && !id.equals("CDW02")) {
                return false;
            }
        }
        return false;
    }

    /** The five-letter identifier of the descriptor at {@code at}. */
    public static String identifier(BlockSource source, long at) throws IOException {
        return new String(source.read(at + 1, 5, ByteOrder.LITTLE_ENDIAN).array(), StandardCharsets.US_ASCII);
    }
}

package org.disklens.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageReader;
import org.disklens.image.ProgressListener;

/**
 * Guest-visible equality of two images, as {@code qemu-img compare} decides it: the common part byte for
 * byte, and the larger image's tail must read as zeroes. Runs both map as zero are skipped without reading.
 * Mismatches are reported at the start of their 512-byte sector, as qemu-img does.
 */
public final class Comparison {
    private static final int CHUNK = 1 << 20;
    private static final int SECTOR = 512;

    private final ImageChain first;
    private final ImageChain second;

    public Comparison(ImageChain first, ImageChain second) {
        this.first = first;
        this.second = second;
    }

    /** The guest offset of the first differing sector, or empty if the images read the same. */
    public OptionalLong firstMismatch(ProgressListener progress) throws IOException {
        long common = Math.min(first.virtualSize(), second.virtualSize());
        long total = Math.max(first.virtualSize(), second.virtualSize());
        AllocationMap firstMap = new AllocationMap(first);
        AllocationMap secondMap = new AllocationMap(second);
        ImageReader firstReader = new ImageReader(first);
        ImageReader secondReader = new ImageReader(second);
        byte[] a = new byte[CHUNK];
        byte[] b = new byte[CHUNK];
        long at = 0;
        while (at < common) {
            progress.checkCancelled();
            long length = Math.min(CHUNK, common - at);
            MapEntry left = firstMap.entryAt(at, length);
            MapEntry right = secondMap.entryAt(at, length);
            length = Math.min(left.length(), right.length());
            if (!(readsZero(left) && readsZero(right))) {
                firstReader.read(at, ByteBuffer.wrap(a, 0, (int) length));
                secondReader.read(at, ByteBuffer.wrap(b, 0, (int) length));
                int mismatch = Arrays.mismatch(a, 0, (int) length, b, 0, (int) length);
                if (mismatch >= 0) {
                    return OptionalLong.of(sectorStart(at + mismatch));
                }
            }
            at += length;
            progress.progress(at, total);
        }
        ImageChain larger = first.virtualSize() > common ? first : second;
        return firstNonZero(larger, common, progress, total);
    }

    private static OptionalLong firstNonZero(ImageChain chain, long start, ProgressListener progress, long total)
            throws IOException {
        AllocationMap map = new AllocationMap(chain);
        ImageReader reader = new ImageReader(chain);
        byte[] buffer = new byte[CHUNK];
        long at = start;
        while (at < chain.virtualSize()) {
            progress.checkCancelled();
            MapEntry entry = map.entryAt(at, Math.min(CHUNK, chain.virtualSize() - at));
            int length = (int) entry.length();
            if (!readsZero(entry)) {
                reader.read(at, ByteBuffer.wrap(buffer, 0, length));
                for (int i = 0; i < length; i++) {
                    if (buffer[i] != 0) {
                        return OptionalLong.of(sectorStart(at + i));
                    }
                }
            }
            at += length;
            progress.progress(at, total);
        }
        return OptionalLong.empty();
    }

    private static boolean readsZero(MapEntry entry) {
        return entry.zero();
    }

    private static long sectorStart(long offset) {
        return offset - offset % SECTOR;
    }
}

package org.disklens.image.vmdk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Deflater;
import org.disklens.image.UnitCompressor;

/**
 * One grain of a streamOptimized VMDK as it sits in the file (VMware Virtual Disk Format 1.1/5.0, "Stream-Optimized
 * Compressed"): a grain marker (the grain's first sector, 64-bit, and the compressed size, 32-bit, little-endian),
 * the zlib stream (RFC 1950: VMware, open-vmdk and qemu all write and expect the zlib header), zero padding to the
 * next 512-byte sector. A last grain that the disk's end cuts short is compressed whole, zero-padded: qemu and
 * VMware's open-vmdk need only the bytes inside the disk to come out, DiskLens's own reader wants a whole grain,
 * and a whole grain satisfies all of them.
 */
final class StreamGrainCompressor implements UnitCompressor {
    static final int MARKER_HEADER = 12;
    private static final int SECTOR = 512;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);

    /** Slot bytes per grain: marker, the worst zlib expansion of an incompressible grain, padding. */
    static int slotSize(int grainSize) {
        return grainSize + 2 * SECTOR;
    }

    @Override
    public int compress(long guestOffset, ByteBuffer unit, ByteBuffer slot) {
        deflater.reset();
        deflater.setInput(unit.duplicate());
        deflater.finish();
        ByteBuffer out = slot.slice(slot.position() + MARKER_HEADER, slot.remaining() - MARKER_HEADER);
        while (!deflater.finished()) {
            if (!out.hasRemaining()) {
                throw new IllegalStateException("zlib output exceeds its bound");
            }
            deflater.deflate(out);
        }
        int compressed = out.position();
        int record = Math.ceilDiv(MARKER_HEADER + compressed, SECTOR) * SECTOR;
        ByteBuffer marker = slot.slice(slot.position(), record).order(ByteOrder.LITTLE_ENDIAN);
        marker.putLong(0, guestOffset / SECTOR);
        marker.putInt(8, compressed);
        for (int at = MARKER_HEADER + compressed; at < record; at++) {
            marker.put(at, (byte) 0);
        }
        return record;
    }

    @Override
    public void close() {
        deflater.end();
    }
}

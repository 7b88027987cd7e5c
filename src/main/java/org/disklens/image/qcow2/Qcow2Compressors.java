package org.disklens.image.qcow2;

import io.airlift.compress.zstd.ZstdCompressor;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import org.disklens.image.UnitCompressor;

/**
 * Compressed qcow2 clusters, as qemu writes and reads them ({@code qcow2_co_compress}/{@code qcow2_decompress}):
 * a whole cluster in, and the result kept only if it is smaller than a cluster (else the cluster is stored as is).
 * zlib: raw deflate whose back references stay within 4 KiB, because qemu inflates with a 4 KiB window; zstd: one
 * zstd frame per cluster.
 */
final class Qcow2Compressors {
    private Qcow2Compressors() {
    }

    /** Bytes a compressed cluster may take in a writer's slot (the codec needs a little room past the cluster). */
    static int slotSize(boolean zstd, int clusterSize) {
        return zstd ? new ZstdCompressor().maxCompressedLength(clusterSize) : clusterSize;
    }

    static Supplier<UnitCompressor> factory(boolean zstd, int clusterSize) {
        if (zstd) {
            return () -> new Zstd(clusterSize);
        }
        return NativeZlib.available() ? () -> new NativeDeflate(clusterSize) : () -> new JavaDeflate(clusterSize);
    }

    /** The system's zlib with qemu's exact parameters (window bits -12). */
    private static final class NativeDeflate implements UnitCompressor {
        private final NativeZlib.RawDeflater deflater = new NativeZlib.RawDeflater(NativeZlib.QCOW2_WINDOW_BITS);
        private final int clusterSize;

        NativeDeflate(int clusterSize) {
            this.clusterSize = clusterSize;
        }

        @Override
        public int compress(long guestOffset, ByteBuffer unit, ByteBuffer slot) {
            return deflater.deflate(unit, slot.slice(slot.position(), clusterSize - 1));
        }

        @Override
        public void close() {
            deflater.close();
        }
    }

    /**
     * Pure Java, where there is no system zlib: {@link Deflater} cannot shrink its 32 KiB window, so the input is
     * fed in 4 KiB pieces, each ended by a full flush that forgets everything before it. No reference can then
     * reach further back than 4 KiB; the price is a somewhat larger result.
     */
    private static final class JavaDeflate implements UnitCompressor {
        private static final int PIECE = 4096;
        private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        private final int clusterSize;

        JavaDeflate(int clusterSize) {
            this.clusterSize = clusterSize;
        }

        @Override
        public int compress(long guestOffset, ByteBuffer unit, ByteBuffer slot) {
            deflater.reset();
            ByteBuffer out = slot.slice(slot.position(), clusterSize - 1);
            for (int at = 0; at < unit.remaining(); at += PIECE) {
                int length = Math.min(PIECE, unit.remaining() - at);
                deflater.setInput(unit.slice(unit.position() + at, length));
                boolean last = at + length >= unit.remaining();
                if (last) {
                    deflater.finish();
                }
                do {
                    deflater.deflate(out, last ? Deflater.NO_FLUSH : Deflater.FULL_FLUSH);
                    if (!out.hasRemaining() && !(last ? deflater.finished() : deflater.needsInput())) {
                        return -1;
                    }
                } while (last ? !deflater.finished() : !deflater.needsInput());
            }
            return out.position();
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    /** One zstd frame per cluster (pure Java, aircompressor). */
    private static final class Zstd implements UnitCompressor {
        private final ZstdCompressor compressor = new ZstdCompressor();
        private final int clusterSize;
        private final byte[] input;
        private final byte[] output;

        Zstd(int clusterSize) {
            this.clusterSize = clusterSize;
            this.input = new byte[clusterSize];
            this.output = new byte[compressor.maxCompressedLength(clusterSize)];
        }

        @Override
        public int compress(long guestOffset, ByteBuffer unit, ByteBuffer slot) {
            int length = unit.remaining();
            unit.get(unit.position(), input, 0, length);
            int written = compressor.compress(input, 0, length, output, 0, output.length);
            if (written >= clusterSize) {
                return -1;
            }
            slot.put(slot.position(), output, 0, written);
            return written;
        }

        @Override
        public void close() {
        }
    }
}

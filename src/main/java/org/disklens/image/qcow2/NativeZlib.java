package org.disklens.image.qcow2;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;

/**
 * The system's zlib through the FFM API (no JNI, nothing bundled), for the one thing {@link java.util.zip.Deflater}
 * cannot do: raw deflate with a 4 KiB window ({@code windowBits = -12}). qemu decompresses qcow2 clusters with
 * {@code inflateInit2(-12)}, so a stream that refers further back than 4 KiB is unreadable to it. Parameters are
 * qemu's own ({@code qcow2_compress}): default level, memLevel 9, default strategy.
 *
 * <p>Available on 64-bit Linux and macOS (where {@code z_stream} has the LP64 layout below); elsewhere
 * {@link #available()} is false and the caller falls back to pure Java.
 */
final class NativeZlib {
    static final int QCOW2_WINDOW_BITS = -12;
    private static final int Z_FINISH = 4;
    private static final int Z_OK = 0;
    private static final int Z_STREAM_END = 1;
    private static final int Z_DEFLATED = 8;
    private static final int Z_DEFAULT_COMPRESSION = -1;
    private static final int MEM_LEVEL = 9;

    // struct z_stream on LP64: pointers and uLong are 8 bytes, uInt and int are 4 (padded to 8).
    private static final long NEXT_IN = 0;
    private static final long AVAIL_IN = 8;
    private static final long NEXT_OUT = 24;
    private static final long AVAIL_OUT = 32;
    private static final long TOTAL_OUT = 40;
    private static final long Z_STREAM_SIZE = 112;

    private static final MethodHandle DEFLATE_INIT2;
    private static final MethodHandle DEFLATE;
    private static final MethodHandle DEFLATE_RESET;
    private static final MethodHandle DEFLATE_END;
    private static final MemorySegment VERSION;

    static {
        MethodHandle init = null, deflate = null, reset = null, end = null;
        MemorySegment version = null;
        try {
            Optional<SymbolLookup> zlib = lookup();
            if (zlib.isPresent() && ValueLayout.ADDRESS.byteSize() == 8) {
                SymbolLookup lib = zlib.get();
                Linker linker = Linker.nativeLinker();
                MethodHandle zlibVersion = linker.downcallHandle(lib.find("zlibVersion").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.ADDRESS));
                init = linker.downcallHandle(lib.find("deflateInit2_").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
                deflate = linker.downcallHandle(lib.find("deflate").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                reset = linker.downcallHandle(lib.find("deflateReset").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                end = linker.downcallHandle(lib.find("deflateEnd").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                version = (MemorySegment) zlibVersion.invokeExact();
                String text = version.reinterpret(64).getString(0);
                if (!text.startsWith("1.")) {
                    init = null;
                }
            }
        } catch (Throwable unavailable) {
            init = null;
        }
        DEFLATE_INIT2 = init;
        DEFLATE = deflate;
        DEFLATE_RESET = reset;
        DEFLATE_END = end;
        VERSION = version;
    }

    private NativeZlib() {
    }

    private static Optional<SymbolLookup> lookup() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] names = os.contains("mac") ? new String[] {"libz.1.dylib", "libz.dylib"}
                : os.contains("linux") ? new String[] {"libz.so.1", "libz.so"} : new String[0];
        for (String name : names) {
            try {
                return Optional.of(SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException notHere) {
                // try the next name
            }
        }
        return Optional.empty();
    }

    static boolean available() {
        return DEFLATE_INIT2 != null;
    }

    /** One deflate stream, reset for every unit. Not thread-safe; close it to free zlib's state. */
    static final class RawDeflater implements AutoCloseable {
        private final Arena arena = Arena.ofShared();
        private final MemorySegment stream = arena.allocate(Z_STREAM_SIZE, 8);

        RawDeflater(int windowBits) {
            int result;
            try {
                result = (int) DEFLATE_INIT2.invokeExact(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits,
                        MEM_LEVEL, 0, VERSION, (int) Z_STREAM_SIZE);
            } catch (Throwable failed) {
                arena.close();
                throw new IllegalStateException("zlib deflateInit2 failed", failed);
            }
            if (result != Z_OK) {
                arena.close();
                throw new IllegalStateException("zlib deflateInit2 returned " + result);
            }
        }

        /**
         * Compresses all of {@code input} (direct) into {@code output} (direct) in one go; returns the compressed
         * length, or -1 if it does not fit. Positions are not moved.
         */
        int deflate(ByteBuffer input, ByteBuffer output) {
            MemorySegment in = MemorySegment.ofBuffer(input);
            MemorySegment out = MemorySegment.ofBuffer(output);
            try {
                int reset = (int) DEFLATE_RESET.invokeExact(stream);
                stream.set(ValueLayout.ADDRESS, NEXT_IN, in);
                stream.set(ValueLayout.JAVA_INT, AVAIL_IN, (int) in.byteSize());
                stream.set(ValueLayout.ADDRESS, NEXT_OUT, out);
                stream.set(ValueLayout.JAVA_INT, AVAIL_OUT, (int) out.byteSize());
                int result = (int) DEFLATE.invokeExact(stream, Z_FINISH);
                if (reset != Z_OK || result != Z_STREAM_END) {
                    return -1;
                }
                return (int) stream.get(ValueLayout.JAVA_LONG, TOTAL_OUT);
            } catch (Throwable failed) {
                throw new IllegalStateException("zlib deflate failed", failed);
            }
        }

        @Override
        public void close() {
            try {
                int ignored = (int) DEFLATE_END.invokeExact(stream);
            } catch (Throwable ignored) {
                // Freeing is all that is left to do.
            } finally {
                arena.close();
            }
        }
    }
}

package org.disklens.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;

/** Positional writes that never come back short, and {@code posix_fallocate} (FFM) for {@code preallocation=falloc}. */
public final class FileWrites {
    private FileWrites() {
    }

    /** Writes all of {@code bytes} at {@code position}. */
    public static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /** Reserves {@code length} bytes of {@code file} from {@code offset} on, as {@code posix_fallocate} does. */
    public static void fallocate(Path file, long offset, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        Native.check();
        if (Native.FALLOCATE == null) {
            throw new IOException("preallocation=falloc is not supported on this system (use full)");
        }
        int result;
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) Native.OPEN.invokeExact(arena.allocateFrom(file.toString()), Native.O_WRONLY);
            if (fd < 0) {
                throw new IOException("%s: cannot open for preallocation".formatted(file.getFileName()));
            }
            try {
                result = (int) Native.FALLOCATE.invokeExact(fd, offset, length);
            } finally {
                int ignored = (int) Native.CLOSE.invokeExact(fd);
            }
        } catch (IOException | RuntimeException | Error failure) {
            throw failure;
        } catch (Throwable failure) {
            throw new IOException("posix_fallocate failed", failure);
        }
        if (result == 28) {
            throw new IOException("No space left on device");
        }
        if (result != 0) {
            throw new IOException("preallocation failed (posix_fallocate error %d)".formatted(result));
        }
    }

    /** The libc calls, bound on first use only (binding generates code; plain writes should not pay for it). */
    private static final class Native {
        private static final int O_WRONLY = 1;
        static final MethodHandle OPEN;
        static final MethodHandle CLOSE;
        static final MethodHandle FALLOCATE;

        static {
            MethodHandle open = null, close = null, fallocate = null;
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                try {
                    Linker linker = Linker.nativeLinker();
                    var libc = linker.defaultLookup();
                    open = linker.downcallHandle(libc.find("open").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                    close = linker.downcallHandle(libc.find("close").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                    fallocate = linker.downcallHandle(libc.find("posix_fallocate").orElseThrow(), FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
                } catch (RuntimeException | LinkageError unavailable) {
                    open = close = fallocate = null;
                }
            }
            OPEN = open;
            CLOSE = close;
            FALLOCATE = fallocate;
        }

        static void check() {
        }
    }
}

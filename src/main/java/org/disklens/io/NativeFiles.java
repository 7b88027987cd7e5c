package org.disklens.io;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The few POSIX calls Java has no API for, through the FFM API (pure Java, no JNI): {@code lseek} with
 * {@code SEEK_DATA}/{@code SEEK_HOLE} for sparse maps and {@code fstat} for allocated blocks. Linux only;
 * everywhere else, and whenever a call fails, callers fall back to "all data".
 */
final class NativeFiles {
    private static final int O_RDONLY = 0;
    private static final int SEEK_DATA = 3;
    private static final int SEEK_HOLE = 4;
    private static final int ENXIO = 6;
    /** {@code st_blocks} sits at byte 64 of {@code struct stat} on both x86_64 and aarch64 Linux. */
    private static final long ST_BLOCKS_OFFSET = 64;
    private static final long STAT_BUFFER_SIZE = 256;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle LSEEK;
    private static final MethodHandle FSTAT;

    static {
        MethodHandle open = null, close = null, lseek = null, fstat = null;
        if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                lseek = linker.downcallHandle(libc.find("lseek").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT), errno);
                fstat = libc.find("fstat").map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
                        .orElse(null);
            } catch (RuntimeException | LinkageError unavailable) {
                open = close = lseek = fstat = null;
            }
        }
        OPEN = open;
        CLOSE = close;
        LSEEK = lseek;
        FSTAT = fstat;
    }

    private NativeFiles() {
    }

    /** A read-only native descriptor for {@code path}, or empty where that is not possible. */
    static Optional<Integer> openReadOnly(Path path) {
        if (OPEN == null) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(path.toString()), O_RDONLY);
            return fd >= 0 ? Optional.of(fd) : Optional.empty();
        } catch (Throwable failed) {
            return Optional.empty();
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // Nothing useful to do about a failed close of a read-only descriptor.
        }
    }

    /**
     * The extent of equal allocation starting at {@code position} in a file of {@code size} bytes, or
     * empty if the file system cannot say.
     */
    static Optional<HostExtent> extentAt(int fd, long position, long size) {
        OptionalLong data = seek(fd, position, SEEK_DATA);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        long nextData = data.getAsLong();
        if (nextData > position) {
            return Optional.of(new HostExtent(position, Math.min(nextData, size) - position, false));
        }
        OptionalLong hole = seek(fd, position, SEEK_HOLE);
        if (hole.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HostExtent(position, Math.min(hole.getAsLong(), size) - position, true));
    }

    /** The seek result; {@code Long.MAX_VALUE} when there is no more data; empty on any other error. */
    private static OptionalLong seek(int fd, long position, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            long result = (long) LSEEK.invokeExact(state, fd, position, whence);
            if (result >= 0) {
                return OptionalLong.of(result);
            }
            int errno = (int) ERRNO.get(state, 0L);
            return errno == ENXIO && whence == SEEK_DATA ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.empty();
        } catch (Throwable failed) {
            return OptionalLong.empty();
        }
    }

    /** {@code st_blocks * 512}, or empty. */
    static OptionalLong allocatedBytes(int fd) {
        if (FSTAT == null) {
            return OptionalLong.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stat = arena.allocate(STAT_BUFFER_SIZE, 8);
            int result = (int) FSTAT.invokeExact(fd, stat);
            return result == 0 ? OptionalLong.of(stat.get(ValueLayout.JAVA_LONG, ST_BLOCKS_OFFSET) * 512)
                    : OptionalLong.empty();
        } catch (Throwable failed) {
            return OptionalLong.empty();
        }
    }
}

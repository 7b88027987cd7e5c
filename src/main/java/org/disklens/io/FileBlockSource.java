package org.disklens.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * A file opened read-only. Safe for concurrent reads. Sparse files report their holes through
 * {@code lseek(SEEK_DATA/SEEK_HOLE)} where the OS and file system support it.
 */
public final class FileBlockSource implements FileSource {
    private final Path path;
    private final FileChannel channel;
    private final long size;
    /** The native descriptor for lseek/fstat, opened on first need: binding native calls costs ~0.1 s at startup. */
    private Optional<Integer> nativeFd;
    private boolean closed;

    private FileBlockSource(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    private synchronized Optional<Integer> nativeFd() {
        if (nativeFd == null) {
            nativeFd = closed ? Optional.empty() : NativeFiles.openReadOnly(path);
        }
        return nativeFd;
    }

    /**
     * Opens {@code path} for reading only; never for writing, whatever the caller does next. Only a regular file
     * (symbolic links followed): a FIFO would block the open for ever, a device or a directory is not an image.
     */
    public static FileBlockSource open(Path path) throws IOException {
        checkRegularFile(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        return new FileBlockSource(path, channel, channel.size());
    }

    /** The size of {@code path} if it is a regular file (links followed); otherwise says what it is instead. */
    public static long checkRegularFile(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException missing) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException("%s: not a regular file (%s); DiskLens reads only regular files"
                    .formatted(path, kind(path, attributes)));
        }
        return attributes.size();
    }

    private static String kind(Path path, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "an unknown kind of file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return "a device, FIFO or socket";
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (position < 0 || position > size - length) {
            throw BlockSource.pastEnd(name(), position, length, size);
        }
        long at = position;
        while (dst.hasRemaining()) {
            int count = channel.read(dst, at);
            if (count < 0) {
                throw BlockSource.pastEnd(name(), position, length, at);
            }
            at += count;
        }
    }

    /**
     * Synchronized, as {@link #allocatedBytes()} is: {@link #close()} must not release the native descriptor while a
     * call uses it, or the number could already belong to a file opened meanwhile by another thread.
     */
    @Override
    public synchronized HostExtent extentAt(long position) throws IOException {
        if (position >= size) {
            return new HostExtent(position, 0, true);
        }
        return nativeFd().flatMap(fd -> NativeFiles.extentAt(fd, position, size))
                .filter(extent -> extent.length() > 0)
                .orElseGet(() -> new HostExtent(position, size - position, true));
    }

    @Override
    public synchronized long allocatedBytes() {
        return nativeFd().map(fd -> NativeFiles.allocatedBytes(fd).orElse(size)).orElse(size);
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (nativeFd != null) {
                nativeFd.ifPresent(NativeFiles::close);
            }
            nativeFd = Optional.empty();
            closed = true;
        }
        channel.close();
    }
}

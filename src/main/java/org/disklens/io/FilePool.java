package org.disklens.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Files read through shared, lazily opened sources: one {@link BlockSource} per file however often it is asked for,
 * opened on its first read, and at most {@code maxOpen} descriptors at once (an idle file is closed, least recently
 * used first, and opened again when read again). A VMDK descriptor may name thousands of extent files; through a
 * pool they stay within any open-file limit.
 */
public final class FilePool {
    private final int maxOpen;
    private final Map<Path, PooledFile> files = new HashMap<>();
    /** The files with an open descriptor, least recently used first. */
    private final LinkedHashSet<PooledFile> open = new LinkedHashSet<>();

    public FilePool(int maxOpen) {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen " + maxOpen);
        }
        this.maxOpen = maxOpen;
    }

    /**
     * A source for {@code file} (a regular file; see {@link FileBlockSource#checkRegularFile}) that shares the pool's
     * one descriptor for that file. Each caller closes its own source; the file leaves the pool when the last is closed.
     */
    public synchronized BlockSource source(Path file) throws IOException {
        PooledFile pooled = files.get(file);
        if (pooled == null) {
            pooled = new PooledFile(file, FileBlockSource.checkRegularFile(file));
            files.put(file, pooled);
        }
        pooled.references++;
        return new Reference(pooled);
    }

    /** Descriptors open now (for tests and for the limit). */
    public synchronized int openCount() {
        return open.size();
    }

    private synchronized FileBlockSource acquire(PooledFile file) throws IOException {
        if (file.closed) {
            throw new ClosedChannelException();
        }
        if (file.handle == null) {
            file.handle = FileBlockSource.open(file.path);
        }
        file.users++;
        open.remove(file);
        open.add(file);
        closeIdleBeyondLimit();
        return file.handle;
    }

    private synchronized void release(PooledFile file) throws IOException {
        file.users--;
        if (file.closed && file.users == 0) {
            closeHandle(file);
        }
    }

    private void closeIdleBeyondLimit() throws IOException {
        Iterator<PooledFile> leastRecent = open.iterator();
        while (open.size() > maxOpen && leastRecent.hasNext()) {
            PooledFile candidate = leastRecent.next();
            if (candidate.users == 0) {
                leastRecent.remove();
                candidate.handle.close();
                candidate.handle = null;
            }
        }
    }

    private synchronized void dropReference(PooledFile file) throws IOException {
        if (--file.references == 0) {
            close(file);
        }
    }

    private void close(PooledFile file) throws IOException {
        file.closed = true;
        files.remove(file.path, file);
        if (file.users == 0) {
            closeHandle(file);
        }
    }

    private void closeHandle(PooledFile file) throws IOException {
        open.remove(file);
        if (file.handle != null) {
            file.handle.close();
            file.handle = null;
        }
    }

    /** One file of the pool: reads borrow its descriptor, opening it if the pool closed it meanwhile. */
    private final class PooledFile implements FileSource {
        private final Path path;
        private final long size;
        private FileBlockSource handle;
        private int users;
        /** Sources handed out and not closed yet. */
        private int references;
        private boolean closed;

        PooledFile(Path path, long size) {
            this.path = path;
            this.size = size;
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
            FileBlockSource file = acquire(this);
            try {
                file.read(position, dst);
            } finally {
                release(this);
            }
        }

        @Override
        public HostExtent extentAt(long position) throws IOException {
            FileBlockSource file = acquire(this);
            try {
                return file.extentAt(position);
            } finally {
                release(this);
            }
        }

        @Override
        public long allocatedBytes() throws IOException {
            FileBlockSource file = acquire(this);
            try {
                return file.allocatedBytes();
            } finally {
                release(this);
            }
        }

    }

    /** One caller's source for a pooled file: closing it gives up this caller's use only. */
    private final class Reference implements FileSource {
        private final PooledFile file;
        private boolean closed;

        Reference(PooledFile file) {
            this.file = file;
        }

        @Override
        public Path path() {
            return file.path();
        }

        @Override
        public String name() {
            return file.name();
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            checkOpen();
            file.read(position, dst);
        }

        @Override
        public HostExtent extentAt(long position) throws IOException {
            checkOpen();
            return file.extentAt(position);
        }

        @Override
        public long allocatedBytes() throws IOException {
            checkOpen();
            return file.allocatedBytes();
        }

        private void checkOpen() throws ClosedChannelException {
            if (closed) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                dropReference(file);
            }
        }
    }
}

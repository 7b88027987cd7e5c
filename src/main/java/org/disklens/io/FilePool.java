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

    /** The pool's source for {@code file} (a regular file; see {@link FileBlockSource#checkRegularFile}). */
    public synchronized BlockSource source(Path file) throws IOException {
        PooledFile pooled = files.get(file);
        if (pooled == null) {
            pooled = new PooledFile(file, FileBlockSource.checkRegularFile(file));
            files.put(file, pooled);
        }
        return pooled;
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

    private synchronized void close(PooledFile file) throws IOException {
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

        @Override
        public void close() throws IOException {
            FilePool.this.close(this);
        }
    }
}

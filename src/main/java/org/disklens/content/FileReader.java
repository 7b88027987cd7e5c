package org.disklens.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.disklens.image.CorruptImage;
import org.disklens.image.DecodedUnits;
import org.disklens.image.Mapping;

/**
 * The one reader of guest files: a file's bytes from its file system's mappings. Data that its file system places
 * outside the volume is a damaged file system, said with the file's path. Not thread-safe (it keeps the last
 * decoded compressed unit); one per thread.
 */
public final class FileReader {
    private final FileSystem fileSystem;
    private final DecodedUnits decoded = new DecodedUnits();

    public FileReader(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    /** Fills {@code dst} with the file's bytes from {@code fileOffset}; the range must lie inside the file. */
    public void read(FileEntry file, long fileOffset, ByteBuffer dst) throws IOException {
        if (fileOffset < 0 || fileOffset > file.size() - dst.remaining()) {
            throw new IllegalArgumentException("read of %d bytes at %d is outside %s (%d bytes)"
                    .formatted(dst.remaining(), fileOffset, file.path(), file.size()));
        }
        long at = fileOffset;
        while (dst.hasRemaining()) {
            Mapping mapping = fileSystem.map(file, at, dst.remaining());
            int length = (int) Math.min(mapping.length(), dst.remaining());
            ByteBuffer part = dst.slice(dst.position(), length);
            switch (mapping) {
                case Mapping.Data data -> readData(file, data, part);
                case Mapping.Zero zero -> DecodedUnits.fillZero(part, length);
                case Mapping.Compressed compressed -> decoded.copy(compressed, part);
                case Mapping.Unallocated unallocated -> DecodedUnits.fillZero(part, length);
                case Mapping.Encrypted encrypted -> throw new CorruptImage(fileSystem.naming(), "file " + file.path(),
                        encrypted.hostOffset(), "its data is encrypted");
            }
            dst.position(dst.position() + length);
            at += length;
        }
    }

    private void readData(FileEntry file, Mapping.Data data, ByteBuffer part) throws IOException {
        long size = data.source().size();
        if (data.hostOffset() < 0 || data.hostOffset() > size - part.remaining()) {
            throw new CorruptImage(fileSystem.naming(), "file " + file.path(), data.hostOffset(),
                    "its data lies past the end of the image (0x%x)".formatted(size));
        }
        data.source().read(data.hostOffset(), part);
    }
}

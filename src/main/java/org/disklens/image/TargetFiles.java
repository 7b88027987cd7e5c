package org.disklens.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.disklens.io.FileWrites;

/**
 * Where a writer creates the files of a new image: each under a temporary name, renamed only when the whole
 * conversion succeeded (the conversion engine's {@code OutputFiles} does that).
 */
public interface TargetFiles {
    /** Creates the file that will be named {@code finalPath}, open for reading and writing. */
    TargetFile create(Path finalPath) throws IOException;

    /** A file being written: its channel and its temporary name. */
    record TargetFile(FileChannel channel, Path tempPath) {
        /** Sets the file's length (extending makes a hole, as {@code ftruncate} does). */
        public void setLength(long length) throws IOException {
            try (RandomAccessFile file = new RandomAccessFile(tempPath.toFile(), "rw")) {
                file.setLength(length);
            }
        }

        /** Writes all of {@code bytes} at {@code position}. */
        public void write(ByteBuffer bytes, long position) throws IOException {
            FileWrites.writeFully(channel, bytes, position);
        }
    }
}

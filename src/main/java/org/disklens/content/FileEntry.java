package org.disklens.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A file, directory or symbolic link of a file system inside an image (ISO 9660, UDF). {@code extents} say
 * where a file's bytes are in the image; {@code embedded} holds them when the file system stores them in its
 * metadata (UDF's in-ICB files); {@code node} is where the file system keeps the entry (a directory's extent,
 * a UDF file entry), for its own use.
 */
public record FileEntry(String name, String path, Type type, long size, Optional<Instant> modified,
                        Optional<String> target, List<Extent> extents, Optional<byte[]> embedded, long node) {

    public enum Type {
        FILE("file"), DIRECTORY("dir"), SYMLINK("symlink");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The word {@code ls --json} uses: file, dir, symlink. */
        public String label() {
            return label;
        }
    }

    /** {@code length} bytes at {@code hostOffset} of the image; {@code sparse} runs read as zeroes. */
    public record Extent(long hostOffset, long length, boolean sparse) {
    }

    public boolean directory() {
        return type == Type.DIRECTORY;
    }
}

package org.disklens.content;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A file, directory, symbolic link or other node of a file system inside an image. {@code node} identifies the
 * entry within its file system (an inode number, an MFT record, a directory's first block), so a walk can tell a
 * directory it has met before; {@code handle} is the file system's own reference to the entry (its extents, its
 * inode), read only by the file system that made the entry.
 */
public record FileEntry(String name, String path, Type type, long size, Optional<Instant> modified,
                        Optional<String> target, Attributes attributes, long node, Object handle) {

    public enum Type {
        FILE("file"), DIRECTORY("dir"), SYMLINK("symlink"), OTHER("other");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /** The word {@code ls --json} uses: file, dir, symlink, other (devices, FIFOs, sockets). */
        public String label() {
            return label;
        }
    }

    /**
     * What POSIX-like file systems add: permission bits ({@code mode & 07777}), owner, group, hard links and the
     * inode number. Each is absent where the file system has no such thing (ISO 9660 and UDF listings have none).
     */
    public record Attributes(OptionalInt mode, OptionalLong uid, OptionalLong gid, OptionalLong links,
                             OptionalLong inode) {
        public static final Attributes NONE = new Attributes(OptionalInt.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

        public static Attributes unix(int mode, long uid, long gid, long links, long inode) {
            return new Attributes(OptionalInt.of(mode & 07777), OptionalLong.of(uid), OptionalLong.of(gid),
                    OptionalLong.of(links), OptionalLong.of(inode));
        }
    }

    public boolean directory() {
        return type == Type.DIRECTORY;
    }

    /** {@code parent/name}, the way every file system joins its paths. */
    public static String childPath(String parentPath, String name) {
        return parentPath.endsWith("/") ? parentPath + name : parentPath + "/" + name;
    }
}

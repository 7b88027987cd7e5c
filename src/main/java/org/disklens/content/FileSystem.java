package org.disklens.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.disklens.image.CorruptImage;
import org.disklens.image.LimitExceeded;
import org.disklens.image.Mapping;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * An opened, read-only file system inside a volume: it lists one directory at a time and answers what each run of
 * a file's bytes is, as {@link Mapping}s onto its volume, so that extraction, {@code cat}, the window and "where a
 * file lives" all read files the same way ({@link FileReader}). Listing and walking are bounded: nesting depth,
 * entries per walk, directories visited once (a directory that contains itself is reported, not followed).
 */
public interface FileSystem {
    /** Deeper trees are refused: real ones stay far below (ISO 9660 allows 8 levels, Rock Ridge more). */
    int MAX_DEPTH = 256;
    /** A walk stops with an error past this many entries. */
    long MAX_ENTRIES = 10_000_000;

    /**
     * Which names the listing uses, and the word that starts this file system's error messages: {@code udf},
     * {@code rock-ridge}, {@code joliet}, {@code iso9660}, {@code ext4}, {@code vfat}, {@code ntfs}.
     */
    String naming();

    /** The volume the file system lives in; {@link Mapping.Data} runs of files point into it. */
    BlockSource volume();

    FileEntry root();

    /** The entries of a directory, without "." and "..", in the order the file system keeps them. */
    List<FileEntry> list(FileEntry directory) throws IOException;

    /**
     * What the bytes of {@code file} from {@code fileOffset} are ({@code 0 <= fileOffset < file.size()},
     * {@code maxLength > 0}): {@link Mapping.Data} on {@link #volume()} (or on a small in-memory source for bytes kept
     * in the file system's metadata), {@link Mapping.Zero} for holes and unwritten runs, {@link Mapping.Compressed}
     * for compressed units. At least one byte, at most {@code maxLength}.
     */
    Mapping map(FileEntry file, long fileOffset, long maxLength) throws IOException;

    /** What was found damaged but did not stop the file system from opening (a checksum mismatch, a dirty journal). */
    default List<String> warnings() {
        return List.of();
    }

    /** Receives runs of a volume, in increasing order. */
    @FunctionalInterface
    interface RangeSink {
        void accept(long volumeOffset, long length) throws IOException;
    }

    /**
     * The runs of the volume that the file system's own allocation structures mark free, in increasing order; memory
     * proportional to the number of runs, never to the volume's size.
     */
    default void freeRanges(RangeSink sink, ProgressListener progress) throws IOException {
        throw new UnsupportedFeature(naming(), "free space map", -1, "DiskLens does not read it for this file system");
    }

    /** The entry at an absolute or relative path ("/" is the root); names are compared exactly. */
    default Optional<FileEntry> resolve(String path) throws IOException {
        FileEntry current = root();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (!current.directory()) {
                return Optional.empty();
            }
            Optional<FileEntry> next = list(current).stream().filter(entry -> entry.name().equals(part)).findFirst();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            current = next.get();
        }
        return Optional.of(current);
    }

    /** Receives entries during a walk. */
    @FunctionalInterface
    interface Visitor {
        void visit(FileEntry entry) throws IOException;
    }

    /** Receives entries during a walk, with the directory that lists them (the same object the walk was given or found). */
    @FunctionalInterface
    interface TreeVisitor {
        void visit(FileEntry parent, FileEntry entry) throws IOException;
    }

    /** Every entry below {@code start}, depth first, parents before children. */
    default void walk(FileEntry start, Visitor visitor, ProgressListener progress) throws IOException {
        walkTree(start, (parent, entry) -> visitor.visit(entry), progress);
    }

    /**
     * Every entry below {@code start} with its parent, depth first, parents before children, a directory's entries
     * one after the other; the one walk that listing and extraction share, with its bounds ({@link #MAX_DEPTH}
     * levels, {@link #MAX_ENTRIES} entries, a directory met twice is an error).
     */
    default void walkTree(FileEntry start, TreeVisitor visitor, ProgressListener progress) throws IOException {
        Deque<FileEntry> pending = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        Set<Long> visited = new HashSet<>();
        pending.push(start);
        depths.push(0);
        visited.add(start.node());
        long count = 0;
        while (!pending.isEmpty()) {
            progress.checkCancelled();
            FileEntry directory = pending.pop();
            int depth = depths.pop();
            List<FileEntry> children = list(directory);
            for (int i = children.size() - 1; i >= 0; i--) {
                FileEntry child = children.get(i);
                if (child.directory()) {
                    if (!visited.add(child.node())) {
                        throw new CorruptImage(naming(), "directory " + child.path(), -1,
                                "is already part of the tree (a directory that contains itself)");
                    }
                    if (depth + 1 > MAX_DEPTH) {
                        throw new LimitExceeded(naming(), "directory " + child.path(), -1,
                                "nested deeper than %d levels".formatted(MAX_DEPTH));
                    }
                    pending.push(child);
                    depths.push(depth + 1);
                }
            }
            for (FileEntry child : children) {
                if (++count > MAX_ENTRIES) {
                    throw new LimitExceeded(naming(), "tree", -1, "more than %d entries".formatted(MAX_ENTRIES));
                }
                visitor.visit(directory, child);
            }
        }
    }

    /** Writes a file's bytes to {@code out}; data outside the volume is an error, not a short copy. */
    default void copy(FileEntry file, WritableByteChannel out, ProgressListener progress) throws IOException {
        FileReader reader = new FileReader(this);
        // Direct: the volume's file is read into it and the output file written from it without copies.
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(1, file.size())));
        for (long done = 0; done < file.size(); ) {
            progress.checkCancelled();
            buffer.clear().limit((int) Math.min(buffer.capacity(), file.size() - done));
            reader.read(file, done, buffer);
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            done += buffer.limit();
            progress.progress(done, file.size());
        }
    }
}

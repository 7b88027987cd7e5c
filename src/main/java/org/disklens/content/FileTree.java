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
import org.disklens.image.ProgressListener;
import org.disklens.io.BlockSource;

/**
 * A read-only file system tree inside an image: ISO 9660 (with Rock Ridge or Joliet names) or UDF. Listing
 * and copying are bounded: nesting depth, entries per walk, directories visited once (a directory that
 * contains itself is reported, not followed).
 */
public interface FileTree {
    /** Deeper trees are refused: real ones stay far below (ISO 9660 allows 8 levels, Rock Ridge more). */
    int MAX_DEPTH = 256;
    /** A walk stops with an error past this many entries. */
    long MAX_ENTRIES = 10_000_000;

    /** Which naming the tree uses: {@code udf}, {@code rock-ridge}, {@code joliet}, {@code iso9660}. */
    String naming();

    FileEntry root();

    /** The entries of a directory, without "." and "..", in the order the file system keeps them. */
    List<FileEntry> list(FileEntry directory) throws IOException;

    /** The image the tree lives in, for copying file bytes. */
    BlockSource source();

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

    /** Every entry below {@code start}, depth first, parents before children. */
    default void walk(FileEntry start, Visitor visitor, ProgressListener progress) throws IOException {
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
                visitor.visit(child);
            }
        }
    }

    /** Writes a file's bytes to {@code out}; extents outside the image are an error, not a short copy. */
    default void copy(FileEntry file, WritableByteChannel out, ProgressListener progress) throws IOException {
        if (file.embedded().isPresent()) {
            out.write(ByteBuffer.wrap(file.embedded().get(), 0, (int) Math.min(file.size(), file.embedded().get().length)));
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long done = 0;
        for (FileEntry.Extent extent : file.extents()) {
            if (!extent.sparse() && (extent.hostOffset() < 0 || extent.hostOffset() > source().size() - extent.length())) {
                throw new CorruptImage(naming(), "file " + file.path(), extent.hostOffset(),
                        "its data lies past the end of the image (0x%x)".formatted(source().size()));
            }
            for (long at = 0; at < extent.length(); ) {
                progress.checkCancelled();
                int count = (int) Math.min(buffer.capacity(), extent.length() - at);
                buffer.clear().limit(count);
                if (extent.sparse()) {
                    buffer.put(new byte[count]);
                } else {
                    source().read(extent.hostOffset() + at, buffer);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                at += count;
                done += count;
                progress.progress(done, file.size());
            }
        }
    }
}

package org.disklens.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.disklens.image.ProgressListener;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * One kind of file system (or volume container such as LVM or LUKS) that can fill a volume. Every type in
 * {@link FileSystemTypes} is tried on every volume: the first whose signature matches names it, and opens it
 * when it can be browsed. Adding a file system is one package with one of these, plus one entry in that list.
 */
public interface FileSystemType {
    /** Probes read at most this much of a volume's start into the head they are given. */
    int HEAD_BYTES = 72 * 1024;

    /** The name used in messages: {@code ext}, {@code vfat}, {@code iso9660}. */
    String name();

    /**
     * What the volume's signature says if it holds this type, as blkid says it (type, label, UUID, sizes where the
     * superblock says them cheaply). {@code head} is the volume's first bytes (at most {@link #HEAD_BYTES},
     * little-endian, positioned at 0; the type may change its order and position); a type that needs more reads it
     * from {@code volume}. Foreign or damaged content is "not mine" or an answer without the doubtful fields, never
     * an exception; only I/O errors are thrown.
     */
    Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException;

    /** Whether {@link #open} lists files (false for swap, LVM, LUKS and the signatures DiskLens only names). */
    default boolean browsable() {
        return false;
    }

    /**
     * The runs of {@code volume} this type's own allocation structures mark free, in increasing order: the opened file
     * system's ({@link FileSystem#freeRanges}); types without files say theirs (swap: all but its header page), and
     * the others cannot tell.
     */
    default void freeRanges(BlockSource volume, FileSystem.RangeSink sink, ProgressListener progress) throws IOException {
        if (!browsable()) {
            throw new UnsupportedFeature(name(), "volume", -1, "DiskLens cannot tell which of its space is free");
        }
        open(volume).freeRanges(sink, progress);
    }

    /** Opens the file system in {@code volume}, read-only, for listing and reading its files. */
    default FileSystem open(BlockSource volume) throws IOException {
        throw new UnsupportedFeature(name(), "volume", 0, "DiskLens recognises this %s but cannot list its files"
                .formatted(name()));
    }
}

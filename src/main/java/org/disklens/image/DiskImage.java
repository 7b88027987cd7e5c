package org.disklens.image;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.disklens.io.BlockSource;

/**
 * One opened layer of a disk image: its facts and the mapping of its guest-visible bytes. Backing
 * layers are opened by {@link ImageOpener} into an {@link ImageChain}; a layer only names its backing file.
 */
public interface DiskImage extends Closeable {

    /** {@code raw}, {@code qcow2}, {@code vmdk}, {@code iso}. */
    String format();

    /** The file the image's metadata lives in. */
    BlockSource source();

    /** Guest-visible size in bytes. */
    long virtualSize();

    /**
     * What the guest bytes from {@code guestOffset} are, for at most {@code maxLength} bytes
     * ({@code guestOffset < virtualSize()}, {@code maxLength > 0}). Drivers return the longest run they
     * can tell cheaply; callers loop.
     */
    Mapping map(long guestOffset, long maxLength) throws IOException;

    /** The allocation unit qemu-img reports as {@code cluster-size}, where the format has one. */
    default OptionalInt clusterSize() {
        return OptionalInt.empty();
    }

    default Optional<BackingReference> backing() {
        return Optional.empty();
    }

    default List<Snapshot> snapshots() {
        return List.of();
    }

    /** The image was not closed cleanly (qcow2 dirty bit, VMDK unclean shutdown). */
    default boolean dirty() {
        return false;
    }

    /**
     * {@code format-specific.data} as qemu-img names it: kebab-case keys, in qemu-img's order, values that
     * are strings, numbers, booleans, lists and maps of those. Empty where qemu-img shows none.
     */
    default Map<String, Object> formatSpecific() {
        return Map.of();
    }

    /** A read-only consistency check; empty when the format has none (qemu-img's exit code 63). */
    default Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.empty();
    }

    /**
     * Whether {@code map} should look below this layer's data runs into the host file's holes and report
     * them as zero (qemu does so for qcow2 images preallocated with metadata). Raw images report holes
     * themselves.
     */
    default boolean recurseIntoHostAllocation(Mapping.Data data) throws IOException {
        return false;
    }

    /**
     * What is wrong with the link from this layer to {@code backing}, its opened backing file, if anything
     * (a VMDK delta whose parentCID is not its parent's CID). Said as a warning: the chain still opens.
     */
    default Optional<String> linkProblemWith(DiskImage backing) {
        return Optional.empty();
    }

    /** Bytes the image's files occupy on the host (qemu-img's {@code actual-size}). */
    default long allocatedBytes() throws IOException {
        return source().allocatedBytes();
    }

    @Override
    default void close() throws IOException {
        source().close();
    }
}

package org.disklens.image;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.disklens.io.BlockSource;
import org.disklens.io.HostExtent;

/**
 * One opened layer of a disk image: its facts and the mapping of its guest-visible bytes. Backing layers are opened
 * by {@link ImageOpener} into an {@link ImageChain}; a layer only names its backing file. Generic layers (the CLI,
 * the window, the converter) ask only these typed questions; what is particular to a format stays in its package.
 */
public interface DiskImage extends Closeable {

    /** {@code raw}, {@code qcow2}, {@code vmdk}, {@code iso}. */
    String format();

    /** The format with the version people know it by: {@code qcow2 (compat 1.1)}. */
    default String formatTitle() {
        return format();
    }

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

    /**
     * Whether the guest disk is this file itself, byte for byte (raw, ISO): a zero run it maps is then a hole of the
     * file, stored nowhere, rather than zeroes a format records.
     */
    default boolean isPlainFile() {
        return false;
    }

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

    /** Whether the format keeps internal snapshots at all (then {@link #snapshotView} reads them). */
    default boolean hasInternalSnapshots() {
        return false;
    }

    /**
     * A read-only view of the guest disk as internal snapshot {@code index} (of {@link #snapshots()}) saw it. The view
     * takes over closing this image's file: close the view, not this image.
     */
    default DiskImage snapshotView(int index) throws IOException {
        throw new UnsupportedFeature("format '%s' has no internal snapshots".formatted(format()));
    }

    /** A persistent dirty bitmap, as qemu-img lists it. */
    record Bitmap(String name, long granularity, List<String> flags) {
    }

    /** The persistent bitmaps; empty when the format has none (a list, maybe empty, when it has them). */
    default Optional<List<Bitmap>> bitmaps() {
        return Optional.empty();
    }

    /** Whether the format records an unclean shutdown at all (qemu-img then shows {@code dirty flag}). */
    default boolean hasDirtyFlag() {
        return false;
    }

    /** The image was not closed cleanly (qcow2 dirty bit, VMDK unclean shutdown). */
    default boolean dirty() {
        return false;
    }

    /** Guest data is stored encrypted. */
    default boolean encrypted() {
        return false;
    }

    /**
     * For an encrypted image: gets its key now, from {@link OpenContext#passphrases()}, so that a command fails with one
     * line (no passphrase, a wrong one) before it writes anything. Images that are not encrypted do nothing.
     */
    default void unlock() throws IOException {
    }

    /** The format's features and states worth a badge, in the order to show them. */
    default List<FeatureFlag> features() {
        return List.of();
    }

    /** Every header field and extension as stored, in file order; empty for formats without a header. */
    default List<HeaderField> headerFields() {
        return List.of();
    }

    /**
     * {@code format-specific.data} as qemu-img names it, only to be written out ({@code info --json}, the header
     * sheet): kebab-case keys, in qemu-img's order, values that are strings, numbers, booleans, lists and maps of
     * those. Empty where qemu-img shows none. {@code shownReference} turns a file the image refers to (an extent)
     * into the name to show, as qemu-img combines it with the image's own name.
     */
    default Map<String, Object> formatSpecific(UnaryOperator<String> shownReference) {
        return Map.of();
    }

    /** What {@link #check} looks at, in a sentence for people; empty when the format has no check. */
    default String checkDescription() {
        return "";
    }

    /** A read-only consistency check; empty when the format has none (qemu-img's exit code 63). */
    default Optional<CheckReport> check(ProgressListener progress) throws IOException {
        return Optional.empty();
    }

    /** The kinds of host-file runs {@link #describeHost} reports, in legend order. */
    default List<HostRegion> hostRegions() {
        return List.of(HostRegion.DATA, HostRegion.HOLE);
    }

    /**
     * Reports what each run of the image's file is used for, for charts that show why the file is bigger than its
     * data. Formats that know their layout report their structures; the default tells stored runs from holes.
     * Read-only and lenient: what cannot be placed is skipped ({@link #check} reports it).
     */
    default void describeHost(HostRegion.Sink sink, ProgressListener progress) throws IOException {
        BlockSource file = source();
        long fileSize = file.size();
        long at = 0;
        while (at < fileSize) {
            progress.checkCancelled();
            HostExtent extent = file.extentAt(at);
            long length = extent.length() > 0 ? Math.min(extent.length(), fileSize - at) : fileSize - at;
            sink.accept(extent.data() ? HostRegion.DATA : HostRegion.HOLE, at, length);
            at += length;
            progress.progress(at, fileSize);
        }
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
     * Damage the image was read past so far (a structure that only a guess needed), one line each; it grows as the
     * image is used, so callers ask after the work.
     */
    default List<String> warnings() {
        return List.of();
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

/**
 * The conversion engine: {@code qemu-img convert} and {@code qemu-img measure} for raw, qcow2 and VMDK targets,
 * run by the CLI's {@code convert}/{@code measure} and by the GUI (in a JavaFX task) alike.
 *
 * <h2>API</h2>
 * A {@link org.disklens.convert.ConversionRequest} names the source ({@link org.disklens.convert.SourceSpec}: file,
 * format or probe, {@code -l} snapshot, {@code --allow-outside}), the target ({@link org.disklens.convert.TargetSpec}:
 * format, {@code -o} options, {@code -c}, {@code -S}, {@code -B}/{@code -F}), the target path and {@code --force}.
 * {@code validate()} checks options and target location without opening anything ({@link
 * org.disklens.image.InvalidRequest} with the message to show); {@link org.disklens.convert.Converter#run} converts,
 * reporting to a {@link org.disklens.image.ProgressListener} (bytes done of bytes stored, cancellable) and failing with a
 * {@link org.disklens.convert.ConversionException} that names the file at fault. {@link org.disklens.convert.Measure}
 * answers {@link org.disklens.image.SizeEstimate}; {@link org.disklens.convert.Preset} holds the GUI's named
 * targets.
 *
 * <h2>Pipeline</h2>
 * {@code Pipeline}: the calling thread plans aligned windows (4 MiB; 1 MiB when compressing) from the source's
 * mappings, skipping whole runs that hold nothing to read, whatever their length (a 16 TiB empty disk is a few
 * map calls); one worker per core reads a window through {@link org.disklens.image.ImageReader} (decompressing
 * whole clusters in place), marks the all-zero units (first word, then a vectorised compare) and compresses the
 * others; the calling thread hands finished windows to the writer in guest order. Raw files and flat VMDK extents are
 * written by the workers themselves (positional writes need no order). At most {@code 2 × cores + 2} windows are in
 * flight, each with buffers allocated once per conversion (direct, so reads, writes and zlib use them without copies):
 * memory does not depend on the disk's size. Progress counts the bytes the source stores, as qemu-img does; the total
 * is counted by a metadata pass beside the conversion, and not at all when nobody shows it.
 *
 * <h2>Safety</h2>
 * The source is opened read-only through the open policy. Every target file is written as {@code .NAME.disklens-tmp-XXXXXX}
 * in its final folder and renamed when everything succeeded (extents first, the descriptor last); on cancellation,
 * failure or a full disk all of them are deleted, after the workers have stopped. An existing target (or extent) is
 * refused unless {@code force}; without it the rename is a hard link, which cannot replace a file that appeared
 * meanwhile. A target that is one of the files the conversion reads is refused. Nothing is {@code fsync}ed, as with
 * qemu-img. Unknown, unsupported and contradictory options are refused by {@link org.disklens.convert.TargetConfig}
 * before anything is opened, in qemu-img's words where it has words.
 *
 * <h2>Zeroes ({@code -S})</h2>
 * Runs the source stores nowhere (unallocated, zero clusters, holes) are never read. Stored data is scanned: for raw
 * targets in units of {@code -S} (rounded up to a power of two), which become holes; for qcow2 and VMDK by whole cluster
 * or grain, which stay unallocated. {@code -S 0} and {@code preallocation=full} write every byte.
 *
 * <h2>Targets</h2>
 * Each format writes itself: {@link org.disklens.convert.TargetSpec#config()} looks the format up in the one format
 * list and has its {@code FormatWriter} check the options into a {@code TargetConfig}, which sizes the target
 * ({@code measure}) and makes the {@code ImageWriter} this pipeline feeds with {@code WriteWindow}s (the contract is
 * in {@code org.disklens.image}). How raw, qcow2 and VMDK lay out what they write is told in their packages'
 * documentation ({@code image.raw}, {@code image.qcow2}, {@code image.vmdk}).
 *
 * <h2>Where DiskLens decides otherwise than qemu-img</h2>
 * An existing target is refused without {@code --force}; {@code -c} with a VMDK subformat other than
 * streamOptimized, {@code zeroed_grain} with a non-sparse one and {@code preallocation} with a sparse one are
 * refused as contradictions (qemu-img ignores them); {@code -B} is for qcow2 targets only; {@code data_file},
 * encryption, {@code nocow} and {@code extent_size_hint} are refused as unsupported; {@code -m} sets worker threads.
 * {@code measure} of a VMDK, which qemu-img cannot do, answers the layouts DiskLens writes (see {@code
 * image.vmdk.VmdkConfig}).
 */
package org.disklens.convert;

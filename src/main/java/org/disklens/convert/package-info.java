/**
 * The conversion engine: {@code qemu-img convert} and {@code qemu-img measure} for raw, qcow2 and VMDK targets,
 * run by the CLI's {@code convert}/{@code measure} and by the GUI (in a JavaFX task) alike.
 *
 * <h2>API</h2>
 * A {@link org.disklens.convert.ConversionRequest} names the source ({@link org.disklens.convert.SourceSpec}: file,
 * format or probe, {@code -l} snapshot, {@code --allow-outside}), the target ({@link org.disklens.convert.TargetSpec}:
 * format, {@code -o} options, {@code -c}, {@code -S}, {@code -B}/{@code -F}), the target path and {@code --force}.
 * {@code validate()} checks options and target location without opening anything ({@link
 * org.disklens.convert.InvalidRequest} with the message to show); {@link org.disklens.convert.Converter#run} converts,
 * reporting to a {@link org.disklens.image.ProgressListener} (bytes done of bytes stored, cancellable) and failing with a
 * {@link org.disklens.convert.ConversionException} that names the file at fault. {@link org.disklens.convert.Measure}
 * answers {@link org.disklens.convert.SizeEstimate}; {@link org.disklens.convert.Preset} holds the GUI's named
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
 * <ul>
 *   <li>raw ({@code RawWriter}): the source's exact size (qemu-img rounds up to 512 bytes); {@code preallocation}
 *       off, falloc ({@code posix_fallocate}), full.</li>
 *   <li>qcow2 ({@code Qcow2Writer}, {@code Qcow2Allocator}, {@code Qcow2HeaderBytes}): written front to back in one
 *       pass: data clusters in guest order, each L2 table when its range is done, refcount blocks inline as the file
 *       grows (one or two in memory), then L1 table, refcount table and the header (with the backing format and
 *       feature name extensions, as qemu writes them). Compressed clusters are packed byte by byte, sharing host
 *       clusters while the refcount width allows, as qemu packs them; a cluster that does not shrink is stored as is.
 *       zlib is raw deflate with qemu's parameters and its 4 KiB window (qemu inflates with {@code windowBits -12}),
 *       through the system's zlib (FFM) where there is one, else {@link java.util.zip.Deflater} fed 4 KiB at a time
 *       with full flushes (valid for qemu, somewhat larger); zstd is one aircompressor frame per cluster. With
 *       {@code -B}, only the source's top layer is written: its zero clusters become zero clusters (version 3) or
 *       stored zeroes (version 2), its unallocated runs stay unallocated. Limits are qemu's: L1 table at most 32 MiB,
 *       refcount table at most 8 MiB, header and backing name within the first cluster.</li>
 *   <li>VMDK ({@code VmdkSparseWriter}, {@code VmdkStreamWriter}, {@code VmdkFlatWriter}, {@code VmdkLayout},
 *       {@code VmdkDescriptor}, {@code SparseExtentHeader}): all five subformats, laid out as qemu and VMware lay
 *       them out; split extents of 2047 MiB as VMware's own. streamOptimized follows VMware's Virtual Disk Format to
 *       the letter (markers, tables after their grains, directory, footer and end-of-stream marker at the end, header
 *       with {@code GD_AT_END}), because ESXi rejects qemu-img's layout; the descriptor keys and why each is there
 *       are listed in {@code VmdkDescriptor}. {@code zeroed_grain} marks grains that were stored zeroes in the source
 *       with the zeroed-grain entry. A sparse extent cannot pass 2 TiB (32-bit sector offsets); an empty disk cannot
 *       be a sparse VMDK (qemu opens none).</li>
 * </ul>
 *
 * <h2>Where DiskLens decides otherwise than qemu-img</h2>
 * An existing target is refused without {@code --force}; {@code -c} with a VMDK subformat other than
 * streamOptimized, {@code zeroed_grain} with a non-sparse one and {@code preallocation} with a sparse one are
 * refused as contradictions (qemu-img ignores them); {@code -B} is for qcow2 targets only; {@code data_file},
 * encryption, {@code nocow} and {@code extent_size_hint} are refused as unsupported; {@code -m} sets worker threads.
 * {@code measure} of a VMDK, which qemu-img cannot do, answers this package's own layouts (see {@link
 * org.disklens.convert.Measure}).
 */
package org.disklens.convert;

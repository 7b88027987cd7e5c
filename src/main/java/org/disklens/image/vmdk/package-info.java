/**
 * VMDK, read and written, as VMware's "Virtual Disk Format 1.1" specifies it, and as qemu-img reads it. All of the
 * format is here: probe, the descriptor and sparse header records that parse and encode ({@code VmdkDescriptor},
 * {@code SparseHeader}), the reader ({@code VmdkImage} and its extents), the check, and the writers with their options,
 * layout and {@code measure} ({@code VmdkConfig}, {@code VmdkLayout}).
 *
 * <h2>Files</h2>
 * A disk is a text <b>descriptor</b> (its own file, or embedded in a sparse extent) listing <b>extents</b>
 * end to end: {@code RW <sectors> FLAT "name" <offset>}, {@code … SPARSE "name"}, {@code … ZERO},
 * {@code VMFS}, {@code VMFSSPARSE}. Header keys: {@code version}, {@code encoding} (UTF-8, windows-1252),
 * {@code CID}, {@code parentCID} ({@code ffffffff}: no parent), {@code createType},
 * {@code parentFileNameHint}; {@code ddb.*} keys form the disk database. createTypes read:
 * monolithicSparse, monolithicFlat, twoGbMaxExtentSparse, twoGbMaxExtentFlat, streamOptimized, vmfs,
 * vmfsThin, vmfsSparse, vmfsPreallocated, vmfsEagerZeroedThick; any other is refused by name (seSparse and
 * device-backed types among them).
 *
 * <h2>Sparse extents</h2>
 * <pre>
 * KDMV header (little-endian, sizes in 512-byte sectors)
 *   0 magic "KDMV"   4 version 1-3   8 flags (1: redundant GT, 2: zeroed-grain GTEs, 16: compressed, 17: markers)
 *  12 capacity      20 grainSize    28 descriptorOffset  36 descriptorSize
 *  44 numGTEsPerGT  48 rgdOffset    56 gdOffset (all ones: at the end, read the footer)
 *  64 overHead      72 uncleanShutdown  73 "\n \r\n"  77 compressAlgorithm (1 = deflate)
 * COWD header (ESX deltas): 4 version, 8 flags, 12 sectors, 16 grain, 20 GD offset, 24 GD entries;
 *   4096 entries per grain table.
 * </pre>
 * Grain directory entries point at grain tables; grain table entries at grains: 0 unallocated (the parent
 * decides), 1 a zeroed grain where flag 2 allows it, otherwise the grain's sector. streamOptimized grains are
 * compressed: a 12-byte marker (guest LBA, size) and a zlib stream; its real header is the footer, 1,024 bytes
 * before the end, after a footer marker.
 *
 * <h2>How DiskLens reads it</h2>
 * {@link org.disklens.image.vmdk.VmdkImage} lays the extents end to end and maps each guest offset through
 * its extent: flat → data at the extent's offset (and, like qemu-img's map, zero where the extent file has a
 * hole), sparse → data, zero, unallocated or compressed per grain, in runs. Extent files open only through
 * the {@code OpenPolicy}, once per file however many lines name it, as they are read, and no more than 32 at a
 * time (idle ones are closed and opened again when read again), so thousands of extents fit any open-file limit.
 * A descriptor file is recognised by its first text, whatever follows: one over 1 MiB, or with text after a NUL
 * byte, is a VMDK that is refused, never a raw disk. The sparse header's unclean-shutdown flag is reported as the dirty flag (qemu-img
 * does not report it). A delta's parentCID is compared with its parent's CID when the chain is opened; a
 * mismatch is a warning ({@code map}, {@code compare}), not a refusal.
 *
 * <h2>How DiskLens writes it</h2>
 * All five subformats ({@code VmdkSparseWriter}, {@code VmdkStreamWriter}, {@code VmdkFlatWriter}), laid out as qemu
 * and VMware lay them out; split extents of 2047 MiB as VMware's own ({@code VmdkLayout}). streamOptimized follows
 * VMware's Virtual Disk Format to the letter (markers, tables after their grains, directory, footer and end-of-stream
 * marker at the end, header with {@code GD_AT_END}), because ESXi rejects qemu-img's layout; the descriptor keys and
 * why each is there are listed in {@code VmdkDescriptor}. {@code zeroed_grain} marks grains that were stored zeroes in
 * the source with the zeroed-grain entry. A sparse extent cannot pass 2 TiB (32-bit sector offsets); an empty disk
 * cannot be a sparse VMDK (qemu opens none). qemu-img cannot {@code measure} a VMDK; {@code VmdkConfig.estimate}
 * answers the layouts written here (streamOptimized: an upper bound, every grain as if incompressible).
 *
 * <h2>Limits</h2>
 * descriptor at most 1 MiB, lines at most 8 KiB; at most 4,096 extents; grains a power of two up to 1 GiB; at most
 * 512 entries per grain table (COWD: 4096); grain directories of at most 32 MiB, for one extent and for all of a
 * disk's extents together; grain tables cached up to 16 MiB for the whole disk; a compressed grain at most two grains
 * long and never decoded past one grain. Every table is checked against its file before it is read.
 *
 * <p>Why 4,096 extents: qemu bounds no extent count (every line adds an extent and opens a file). It sizes its table
 * limit to cover more than the format can address (32 MiB of grain directory: 8 TB with the smallest grains and
 * tables, over VMDK4's 2 TB); the same reasoning here: 4,096 extents of 2 GiB, the split size of twoGbMaxExtent
 * disks, hold 8 TiB.
 */
package org.disklens.image.vmdk;

/**
 * VHDX (Hyper-V's virtual hard disk v2), read and written, as Microsoft's [MS-VHDX] specifies it and as qemu's
 * {@code block/vhdx*.c} reads and writes it (libyal's libvhdi document and {@code vhdiinfo} agree). All of the format
 * is here: probe ({@code VhdxFormat}), the records that parse and encode ({@code VhdxHeader}, {@code RegionTable},
 * {@code VhdxMetadata}, {@code ParentLocator}, {@code Guid}), the log ({@code VhdxLog}, {@code ReplayedSource}), the
 * reader ({@code VhdxImage}, {@code Bat}), the check, the host layout, and the writer with its options and layout
 * ({@code VhdxConfig}, {@code VhdxLayout}, {@code VhdxWriter}).
 *
 * <h2>File</h2>
 * <pre>
 * 0        file type identifier: "vhdxfile", creator (UTF-16LE, 512 bytes)
 * 64 KiB   header 1 \ "head", CRC-32C over 4 KiB, sequence number, file/data write GUIDs, log GUID, log version 0,
 * 128 KiB  header 2 / version 1, log length and offset (MiB multiples); the valid one with the higher number is current
 * 192 KiB  region table ("regi", CRC-32C over 64 KiB, at most 2047 entries: GUID, offset, length, required bit)
 * 256 KiB  its copy
 * 1 MiB    (usually) the log, then the BAT and the metadata region wherever the region table puts them, then blocks
 * </pre>
 * All integers are little-endian; GUIDs are Microsoft's (three little-endian groups, then 8 bytes). The field tables
 * of each structure are in its record's documentation.
 *
 * <h2>Blocks and the BAT</h2>
 * Payload blocks of {@code BlockSize} (a power of two, 1–256 MiB) map the guest disk in order; each 2^23 logical
 * sectors (a chunk, chunk ratio = 2^23 × sector size / block size blocks) have one 1 MiB sector bitmap block. The BAT
 * interleaves them: the chunk ratio's payload entries, then the chunk's bitmap entry. An entry is a 3-bit state and a
 * 44-bit offset in MiB. Payload states: NOT_PRESENT 0 (differencing: read the parent), UNDEFINED 1, ZERO 2, UNMAPPED 3
 * (5 in the draft qemu also accepts), FULLY_PRESENT 6, PARTIALLY_PRESENT 7 (differencing only: the bitmap says which
 * sectors are here, bit 1, and which come from the parent). Entries needed: blocks + (blocks − 1) / chunk ratio, or
 * for a differencing disk whole chunks of (chunk ratio + 1).
 *
 * <h2>How DiskLens reads it</h2>
 * <ul>
 *   <li>Headers as qemu chooses them: the only valid one, else the higher sequence number (equal numbers only for
 *       identical headers, as Disk2VHD writes them).</li>
 *   <li>When the current header names a log GUID, the log is searched as MS-VHDX 2.3.3 says (every tail position; a
 *       sequence of valid entries with consecutive numbers whose head's tail is one of its entries; the highest number
 *       wins) and replayed <b>in memory</b>: {@code ReplayedSource} lays the data and zero descriptors over the file's
 *       bytes and extends it to the head entry's LastFileOffset (rounded up to a MiB, as qemu does). The file is never
 *       written. Where qemu refuses to open such a file read-only (it asks for {@code qemu-img check -r all}), DiskLens
 *       reads the replayed disk and reports the image dirty. A log GUID with no complete sequence refuses the file, as
 *       the spec requires (qemu ignores the log then); so does a truncated file (FlushedFileOffset beyond its end).
 *       Replaying refuses writes into the identifier and headers (the first 192 KiB), into the log itself, and past
 *       the larger of the file's end and LastFileOffset; a sequence longer than the log is said to loop.</li>
 *   <li>The region table: BAT and metadata exactly once each, unknown required regions refused by GUID, every region
 *       inside the file and clear of the headers, region tables, log and each other. (The spec places regions after
 *       the 1 MiB header section; qemu, and DiskLens, accept them anywhere that does not overlap.)</li>
 *   <li>Metadata: the five required items and, for a differencing disk, the parent locator; duplicate entries, items
 *       outside the region, unknown required items, block sizes that are not a power of two in 1–256 MiB, logical
 *       sectors other than 512 and 4096, sizes over 64 TiB or not a multiple of the sector size are refused.</li>
 *   <li>{@code map} per block (runs of blocks in one state, stored blocks one after the other as one run); a
 *       partially present block per run of its sector bitmap. ZERO, UNDEFINED and UNMAPPED read as zeroes (qemu's
 *       choice); NOT_PRESENT is unallocated (zeroes, or the parent's data). A stored block is checked when it is used
 *       (inside the file, clear of the structures): the BAT is read lazily in 64 KiB pages (16 MiB cached), so a
 *       64 TiB disk opens at once. qemu checks every entry when it opens the file; DiskLens's {@code check} does.</li>
 *   <li>Differencing disks: {@code backing()} names the parent by {@code relative_path} (backslashes made slashes),
 *       else by the file name of {@code absolute_win32_path} or {@code volume_path}, looked for beside the child, and
 *       opened by the generic opener through the open policy; {@code linkProblemWith} compares the parent's current
 *       data write GUID with {@code parent_linkage} and {@code parent_linkage2}. qemu cannot open differencing VHDX
 *       files at all.</li>
 * </ul>
 *
 * <h2>What {@code info}, {@code map} and {@code check} say</h2>
 * {@code info --json} is qemu-img's: {@code cluster-size} is the block size, {@code dirty-flag} is false unless a log
 * was replayed, and there is no {@code format-specific} (qemu-img prints none for vhdx). qemu has no block status for
 * VHDX (its {@code map} calls the whole disk data), so DiskLens's map is finer than qemu-img's by design. {@code check}
 * does what qemu-img's does (stored payload blocks past the end of the file, in its words, or over the header
 * section, log, BAT or metadata) and more: sector bitmap blocks, states a disk of its type may not have, blocks
 * overlapping each other, a damaged header copy, a region table copy that differs; each is a corruption (exit 2).
 *
 * <h2>How DiskLens writes it</h2>
 * qemu-img's options: {@code subformat=dynamic|fixed}, {@code block_size} (rounded up to a MiB, capped at 256 MiB, 0
 * or absent for qemu-img's default: 8 MiB up to 1 GiB, 16 MiB up to 100 GiB, 32 MiB up to 32 TiB, then 64 MiB),
 * {@code log_size} (rounded up to a MiB, 1 MiB to under 4 GiB), {@code block_state_zero} (on: blocks without data are
 * ZERO, qemu's default; off: NOT_PRESENT). {@code preallocation} other than off is refused (qemu-img passes it to the
 * empty file it starts from, where it reserves nothing), as are {@code extent_size_hint}, {@code nocow}, {@code -c}
 * and backing files (qemu-img refuses those too), in qemu-img's words. The file is clean: the log is empty and its
 * GUID zero, as qemu leaves a file it closed. Layout ({@code VhdxLayout}): the log at 1 MiB, the BAT on the next MiB,
 * a 1 MiB metadata region (the five items qemu writes, 512-byte sectors), then the blocks: in guest order for fixed
 * disks, appended as data arrives (in guest order) for dynamic ones; zero runs inside a stored block stay holes.
 * qemu leaves 4 MiB more before the first block; DiskLens does not. An empty disk gets the BAT region qemu needs to
 * open it (qemu counts an empty disk's entries with a 32-bit underflow). qemu-img cannot {@code measure} VHDX;
 * {@code VhdxConfig.estimate} answers this layout: the structures plus one block per block the data touches.
 *
 * <h2>Limits</h2>
 * at most 2047 region and metadata entries, metadata items of at most 1 MiB, a virtual size of at most 64 TiB, a log
 * found by reading it at most 16 times over (hostile overlapping entries), at most 2^20 descriptors an entry and
 * 256 MiB of replayed data, a replayed file of at most 128 TiB, at most 64 Mi stored blocks in {@code check} and
 * 4 Mi in the host layout, 1000 check messages (the rest counted). Disks with 4096-byte logical sectors are read
 * (qemu-img makes none, so their sizes are not compared with its answers).
 */
package org.disklens.image.vhdx;

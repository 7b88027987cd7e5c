/**
 * LVM2 physical volumes and the volume groups they make up, read-only, after LVM2's on-disk format (the {@code lvm2}
 * sources' {@code label.c}, {@code format-text.c} and {@code layout.h}; libyal's libvslvm "Logical Volume Manager (LVM)
 * format" document; {@code pvck --dump headers}). A member volume is probed by its label ({@link
 * org.disklens.content.lvm.LvmType}: blkid's {@code LVM2_member}); {@link org.disklens.content.VolumeContainer#open}
 * reads every member of a disk into volume groups whose linear and striped LVs become volumes ({@code VG/LV}),
 * probed and opened like partitions.
 *
 * <h2>Layout (little-endian)</h2>
 * <pre>
 * label_header (32 bytes, at the start of one of sectors 0 to 3; normally sector 1)
 *   0 "LABELONE"   8 sector_xl (the sector it is in)   16 crc_xl (of bytes 20..511 of the sector)
 *  20 offset_xl (of the pv_header from the label, 32)   24 type "LVM2 001"
 * pv_header (in the same sector)
 *   0 pv_uuid (32 characters; shown in 6-4-4-4-4-4-6 groups)   32 device_size_xl (bytes)
 *  40 disk_locn list of data areas (offset, size: u64 each; size 0 = to the end), ended by offset 0
 *     disk_locn list of metadata areas, ended by offset 0; then pv_header_extension (version, flags, boot areas)
 * mda_header (512 bytes at the start of each metadata area, normally at 4 KiB and optionally near the device's end)
 *   0 checksum_xl (of bytes 4..511)   4 magic " LVM2 x[5A%r0N*>"   20 version 1   24 start (the area's offset)
 *  32 size (the area's size, header included)   40 raw_locn[0] committed, 64 raw_locn[1] pre-committed:
 *     offset (from the area's start) u64, size u64 (the text and its NUL), checksum u32, flags u32 (1 = ignored)
 * metadata text: a circular buffer [start + 512, start + size); text that runs past its end continues at start + 512;
 *   the checksum covers both parts in order. Every checksum is LVM's calc_crc: CRC-32 (0xEDB88320, reflected) from
 *   0xF597A6CF, no final inversion.
 * </pre>
 *
 * <h2>The metadata text</h2>
 * LVM2's configuration language ({@code ConfigText}): {@code key = value}, sections {@code name { ... }}, strings in
 * double quotes (backslash escapes) or single quotes, integers, reals, flat arrays {@code [v, v]}, {@code #} comments,
 * a NUL at the end. The one top-level section is the VG:
 * <pre>
 * vg0 { id = "…"  seqno = N  extent_size = SECTORS  status = [...]
 *   physical_volumes { pv0 { id = "PV-UUID" device = "/dev/hint" dev_size = S pe_start = SECTORS pe_count = N } … }
 *   logical_volumes { root { id = "…" status = ["READ", "WRITE", "VISIBLE"] segment_count = N
 *     segment1 { start_extent = E extent_count = N type = "striped" stripe_count = K [stripe_size = SECTORS]
 *                stripes = ["pv0", FIRST_PE, "pv1", FIRST_PE …] } … } … } }
 * contents = "Text Format Volume Group"  version = 1  description = ""  creation_host = ""  creation_time = T
 * </pre>
 * A stripe's bytes start at {@code pe_start × 512 + FIRST_PE × extent_size × 512} on its PV; a striped segment deals
 * {@code stripe_size} chunks round-robin over its stripes (each holds {@code extent_count / stripe_count} extents).
 *
 * <h2>How DiskLens reads it</h2>
 * Each member's label is searched as LVM searches it (a label failing its sector number, CRC or type is skipped); every
 * metadata area's committed copy is read, CRC-checked and parsed; copies are grouped by VG id and the highest
 * {@code seqno} wins, so a damaged or stale area gives way to another PV's or the second area's copy. PV entries are
 * matched to members by UUID. Visible LVs are listed (internal ones such as {@code pool_tdata} or {@code x_rimage_0}
 * are not; a snapshot's COW store is listed as the snapshot, as {@code lvs} does). An LV is readable when all its
 * segments are linear or striped on PVs of this disk; its {@code BlockSource} reads piece by piece from the members,
 * and its {@code Placement} composes LV offset → segment → stripe → member offset → the member's own placement.
 * Thin pools and volumes, snapshots, mirrors, RAID, cache, VDO, integrity, and LVs on PVs that are not in the image
 * are listed with the reason. Damage refuses only the LVs it touches: a segment past its PV's {@code pe_count} or past
 * the member's bytes, segments that overlap or leave gaps in the LV, extents two LVs claim, a stripe count that does
 * not divide the extents, a {@code segment_count} that disagrees. A VG whose metadata cannot be read anywhere (a
 * member no readable VG claims, with a bad label or bad metadata) makes the whole read fail with one
 * {@code CorruptImage} naming the PV and the offset.
 *
 * <h2>Limits</h2>
 * Metadata text at most 16 MiB and within its area's ring; sections nested at most 16 deep; strings and names at most
 * 1 MiB; at most 200,000 items (entries and array elements); at most 128 stripes per segment (LVM's own limit);
 * extent sizes and extent arithmetic checked for overflow. Parsing is one linear pass over the text.
 */
package org.disklens.content.lvm;

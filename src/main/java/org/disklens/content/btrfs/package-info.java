/**
 * Btrfs, read-only, from one device, as the kernel's Btrfs on-disk format documentation describes it (with
 * btrfs-progs' behaviour where the docs are silent: {@code fs/btrfs/lzo.c}'s framing, the tree checker's rules).
 *
 * <h2>Layout (all little-endian)</h2>
 * <pre>
 * Superblock (4 KiB at 64 KiB; mirrors at 64 MiB and 256 GiB; checksum over 0x20..4096)
 *   0x00 csum[32]  0x20 fsid  0x30 bytenr (its own offset)  0x40 magic _BHRfS_M  0x48 generation  0x50 root
 *   0x58 chunk_root  0x60 log_root  0x70 total_bytes  0x78 bytes_used  0x88 num_devices  0x90 sectorsize
 *   0x94 nodesize  0xa0 sys_chunk_array_size  0xb4 compat_ro  0xbc incompat  0xc4 csum_type (0 crc32c, 1 xxhash64,
 *   2 sha256, 3 blake2b: all verified)  0xc6 root_level  0xc7 chunk_root_level  0xc9 dev_item (devid, total_bytes, uuid @+66)
 *   0x12b label[256]  0x23b metadata_uuid  0x32b sys_chunk_array[2048]: (key, chunk item) pairs
 * Tree block header (0x65): csum, fsid (metadata_uuid with METADATA_UUID), bytenr, flags, chunk_tree_uuid,
 *   generation @0x50, owner, nritems @0x60, level @0x64; node: key pointers (key 17, blockptr, generation);
 *   leaf: items (key 17, data offset u32 from the header's end, size u32), data packed from the block's end.
 * Key: objectid u64, type u8, offset u64, compared unsigned in that order.
 * Chunk item (256, 228, logical): length, owner, stripe_len, type (DATA 1 SYSTEM 2 METADATA 4; RAID0 8 RAID1 16
 *   DUP 32 RAID10 64 RAID5 128 RAID6 256 RAID1C3 512 RAID1C4 1024), num_stripes @44, sub_stripes @46, stripes
 *   @48 (devid, offset, dev_uuid; 32 bytes each).
 * Root tree: ROOT_ITEM (id, 132, 0 or transid) of each tree (bytenr @176, level @238, root_dirid @168);
 *   ROOT_REF (parent, 156, child) / ROOT_BACKREF (child, 144, parent): dirid, sequence, name;
 *   (6, DIR_ITEM, hash("default")): the default subvolume's (id, ROOT_ITEM, -1).
 * FS tree (one per subvolume): INODE_ITEM (ino, 1, 0): size @16, nlink @40, uid @44, gid @48, mode @52,
 *   mtime @136 (i64 s, u32 ns); INODE_REF (ino, 12, parent); DIR_ITEM (dir, 84, name hash) and DIR_INDEX (dir, 96,
 *   index): location key, transid, data_len @25, name_len @27, type @29, name @30; EXTENT_DATA (ino, 108, file
 *   offset): generation, ram_bytes @8, compression @16 (1 zlib, 2 lzo, 3 zstd), encryption @17, other_encoding
 *   @18, type @20 (0 inline: data @21; 1 regular, 2 prealloc: disk_bytenr @21 (0: hole), disk_num_bytes @29,
 *   offset @37 into the decoded extent, num_bytes @45).
 * Device tree: DEV_EXTENT (devid, 204, physical): chunk_offset @16, length @24.
 * Extent tree: EXTENT_ITEM (bytenr, 168, length), METADATA_ITEM (bytenr, 169, level: nodesize bytes).
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * The superblock is the primary when its magic, own offset and checksum are right, else the sound mirror of the
 * highest generation (a warning says so). The system chunk array maps the chunk tree, whose chunks make the
 * logical-to-physical map. A tree block is read from each copy on this device in turn (DUP and RAID1* have several):
 * the first with the right checksum, address, UUID, level and generation is used; a copy that is sound but for its
 * checksum or generation is used with a warning when no copy is better; otherwise the block is refused. Single and DUP
 * read their first stripe, RAID1/1C3/1C4 and RAID10 the first copy on this device, RAID0 and RAID10 compute the
 * stripe unit. A chunk that lives only on another device is refused as "needs device N of M (uuid ...)"; RAID5/6
 * chunks are refused by name when read. The root is the default subvolume; a subvolume appears as a folder where
 * its parent's directory entry (the place its ROOT_REF names) puts it. {@code FileEntry.node} is
 * {@code (subvolume id << 40) ^ inode}, unique while inode numbers stay below 2^40. Directories list their DIR_INDEX
 * items in index order (their DIR_ITEMs, in hash order, when no DIR_INDEX is left). {@code map} answers a whole
 * extent (cut at a stripe boundary), a hole up to the next extent (NO_HOLES, explicit holes, prealloc), inline data
 * from the leaf, and compressed extents as {@code Mapping.Compressed} decoded by {@code CompressedExtent}: zlib
 * (java.util.zip), btrfs's LZO framing (aircompressor's LZO1X per segment), zstd (aircompressor, one frame).
 * Free space: device bytes outside every DEV_EXTENT, and inside each chunk stripe the logical ranges no
 * EXTENT_ITEM/METADATA_ITEM covers, mapped onto the stripe; the first MiB and the 64 KiB at each superblock mirror are
 * never free; a chunk whose stripe does not match its device extent, and RAID5/6 chunks, count as used. Data
 * checksums (the csum tree) are not verified; the log tree is not replayed (a warning says it exists).
 *
 * <h2>Refused</h2>
 * unknown checksum types; unknown incompatible features; zoned, extent-tree-v2 and raid-stripe-tree file
 * systems; RAID5/6 chunks; encrypted or otherwise encoded extents; unknown compression types (all
 * {@code UnsupportedFeature}, by name).
 *
 * <h2>Limits (beyond them: {@code CorruptImage} or {@code LimitExceeded} with the structure's volume offset)</h2>
 * sectors of 4 to 64 KiB and nodes from the sector size to 64 KiB, powers of two; tree levels at most 7, each child
 * exactly one level below its parent with its first key equal to its parent's pointer key, keys strictly increasing
 * within a block and across a scan (so a block cannot be met twice in one descent or scan), item data inside the
 * leaf after the item table; at most 2^18 chunks, none overlapping another, stripes on this device inside it and not
 * overlapping; a system chunk array of at most 2048 bytes; compressed extents of at most 128 KiB either way
 * (BTRFS_MAX_COMPRESSED), decoded into a buffer of their ram_bytes and never past it; names of 1 to 255 bytes
 * without '/' or NUL; symlink targets of at most 4096 bytes; at most 4 million entries per directory. A damaged
 * directory item or an entry whose inode cannot be read is left out with a warning. Caches: 24 MiB of tree blocks,
 * 4096 subvolume roots; at most 100 distinct warnings.
 */
package org.disklens.content.btrfs;

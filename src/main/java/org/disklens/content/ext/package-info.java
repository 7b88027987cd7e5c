/**
 * ext2, ext3 and ext4, read-only, as the kernel's {@code Documentation/filesystems/ext4/} describes them (with
 * e2fsprogs' behaviour where the docs are silent).
 *
 * <h2>Layout</h2>
 * <pre>
 * Superblock (1024 bytes at byte 1024, little-endian)
 *   0x00 s_inodes_count    0x04 s_blocks_count_lo 0x14 s_first_data_block 0x18 s_log_block_size (1024 &lt;&lt; n)
 *   0x1C s_log_cluster_size 0x20 s_blocks_per_group 0x24 s_clusters_per_group 0x28 s_inodes_per_group
 *   0x38 magic 0xEF53      0x3A s_state (2: errors) 0x4C s_rev_level (0: 128-byte inodes, first inode 11)
 *   0x54 s_first_ino       0x58 s_inode_size      0x5C/0x60/0x64 compat / incompat / ro_compat features
 *   0x68 s_uuid            0x78 s_volume_name     0xCE s_reserved_gdt_blocks 0xFE s_desc_size
 *   0x104 s_first_meta_bg  0x150 s_blocks_count_hi 0x175 s_checksum_type (1 crc32c)
 *   0x24C s_backup_bgs[2] (sparse_super2)         0x270 s_checksum_seed      0x3FC s_checksum
 * Group descriptor (32 bytes, or s_desc_size &gt;= 64 with 64bit: high halves at +0x20)
 *   0x00 block bitmap  0x04 inode bitmap  0x08 inode table  0x12 flags (1 INODE_UNINIT, 2 BLOCK_UNINIT)
 *   0x18 block bitmap checksum (hi at 0x38)  0x1C itable_unused  0x1E bg_checksum
 *   Table after the superblock's block; with meta_bg, descriptor block n &gt;= s_first_meta_bg sits at the start
 *   (after any superblock backup) of group n * descriptors-per-block.
 * Inode (s_inode_size bytes, 128 to the block size)
 *   0x00 mode  0x02 uid  0x04 size_lo  0x10 mtime (signed)  0x18 gid  0x1A links  0x1C blocks_lo  0x20 flags
 *   0x28 i_block[60]  0x64 generation  0x68 file_acl  0x6C size_high  0x74 blocks_hi  0x78 uid_high  0x7A gid_high
 *   0x7C checksum_lo  0x80 extra_isize  0x82 checksum_hi  0x88 mtime_extra (2 epoch bits, 30 bits of ns)
 *   flags: 0x800 ENCRYPT, 0x1000 INDEX (htree), 0x40000 HUGE_FILE, 0x80000 EXTENTS, 0x10000000 INLINE_DATA
 * Extent node: header (magic 0xF30A, entries, max, depth) + 12-byte entries; index (block, leaf lo, leaf hi),
 *   leaf (block, len (&gt; 32768: unwritten), start hi, start lo); a block node ends with a crc32c tail.
 * Block map: i_block[0..11] direct, [12] single, [13] double, [14] triple indirect (block/4 pointers each; 0 = hole).
 * Directory entry: inode u32, rec_len u16, name_len u8, file_type u8, name (name_len u16 without filetype).
 * Inline data: i_block, then the value of the in-inode extended attribute system.data (index 7, "data").
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * {@link org.disklens.content.ext.ExtFileSystem} lists one directory at a time by reading its blocks linearly: htree
 * internal nodes and the {@code metadata_csum} tail are entries with inode 0 to such a reader, and the htree root is
 * "." and "..". Each entry's inode is read through a cache of 32 KiB inode-table chunks. {@code map} answers a whole
 * extent (joined with the extents that continue it in the same leaf), or the contiguous pointers of one indirect
 * block, or a hole up to the next extent; unwritten extents and holes are {@code Mapping.Zero}; inline data and fast
 * symlinks are served from the inode. Free space comes from the block bitmaps (see {@code FreeSpace} for
 * BLOCK_UNINIT groups). Checksums ({@code metadata_csum}: superblock, group descriptors, inodes, extent blocks,
 * directory leaf and htree blocks, block bitmaps; {@code gdt_csum}: descriptors by crc16) are verified as read; a
 * mismatch is a warning. A journal that needs recovery is a warning and is not replayed. Bigalloc is read (extents
 * are in blocks; bitmaps count clusters).
 *
 * <h2>Refused</h2>
 * Unknown incompatible features, compression, dirdata and external journal devices ({@code UnsupportedFeature});
 * fscrypt-encrypted directories and files, by name, when listed or read.
 *
 * <h2>Limits (beyond them: {@code CorruptImage} or {@code LimitExceeded} with the structure's volume offset)</h2>
 * blocks of 1 KiB to 64 KiB; clusters of at most 2^16 blocks; at most 2^32 groups; clusters and inodes per group
 * within a one-block bitmap; inode sizes a power of two from 128 to the block size; descriptor sizes a power of two
 * from 64 to 1024; the inode count within groups times inodes per group; extent trees at most 5 deep, each child
 * exactly one level below its parent (so a loop is met as a depth mismatch), entries within {@code eh_max} and
 * within the node, in order and non-overlapping; every block number checked against the file system's size and
 * every read against the volume's; file sizes within what the mapping can address (2^32 blocks, or the inline
 * data); directories at most 64 MiB; symlink targets at most 4096 bytes. A damaged directory block gives the entries
 * before the damage and a warning (the kernel's {@code rec_len} checks); an entry whose inode cannot be read is left
 * out with a warning. Caches: 8 MiB of metadata blocks, 8 MiB of inode tables, 4 MiB of extent nodes, 2 MiB of
 * descriptors; at most 100 distinct warnings.
 */
package org.disklens.content.ext;

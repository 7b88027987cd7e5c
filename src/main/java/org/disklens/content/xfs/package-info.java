/**
 * XFS, versions 4 and 5, read-only, as "XFS Algorithms &amp; Data Structures" (3rd edition) and the kernel's
 * {@code fs/xfs/libxfs/xfs_format.h}, {@code xfs_da_format.h} and {@code xfs_log_format.h} describe it. Everything is
 * big-endian except the CRC-32C checksums, which are little-endian.
 *
 * <h2>Layout</h2>
 * <pre>
 * Superblock (sector 0 of the volume; copies at the start of every AG)
 *   0 magic XFSB  4 blocksize  8 dblocks  32 uuid  48 logstart (fsblock, 0: external log)  56 rootino
 *   84 agblocks  88 agcount  96 logblocks  100 versionnum (low 4 bits: 4 or 5; 0x2000 DIRV2; 0x8000 MOREBITS)
 *   102 sectsize  104 inodesize  106 inopblock  108 fname[12]  120 blocklog  121 sectlog  122 inodelog
 *   123 inopblog  124 agblklog  126 inprogress  144 fdblocks  192 dirblklog  200 features2 (0x200 FTYPE on v4)
 *   208/212/216/220 compat / ro_compat / incompat / log_incompat (v5)  224 crc (over the sector)
 *   incompat: 0x1 FTYPE, 0x2 SPINODES, 0x4 META_UUID, 0x8 BIGTIME, 0x10 NEEDSREPAIR, 0x20 NREXT64,
 *   0x40 EXCHRANGE, 0x80 PARENT (read); anything else is refused.
 * Addresses: fsblock = agno &lt;&lt; agblklog | agbno, at byte (agno * agblocks + agbno) * blocksize;
 *   inode number = agno &lt;&lt; (agblklog + inopblog) | agbno &lt;&lt; inopblog | index in block.
 * AG headers, one sector each from the AG's start: superblock, AGF (0 XAGF, 8 seqno, 12 length, 16 bno root,
 *   28 bno level, 216 crc), AGI (0 XAGI, 8 seqno, 312 crc), AGFL.
 * Short-form btree block (bnobt ABTB v4 16 bytes / AB3B v5 56 bytes: magic, level u16, numrecs u16, siblings u32,
 *   v5 blkno, lsn, uuid, owner (AG) at 48, crc at 52); records (agbno u32, length u32); keys 8 bytes then u32 pointers
 *   at header + maxrecs * 8, maxrecs = (block - header) / 12.
 * Inode: 0 "IN"  2 mode  4 version (1, 2; 3 on v5)  5 format (0 device, 1 local, 2 extents, 3 btree)  6 onlink (v1)
 *   8 uid  12 gid  16 nlink  24 big_nextents (NREXT64)  40 mtime (sec s32, nsec u32; BIGTIME: u64 ns since
 *   1901-12-13T20:45:52Z)  56 size  76 nextents  82 forkoff (x 8 bytes)  90 flags (0x1 REALTIME)
 *   v3: 100 crc  120 flags2 (0x8 BIGTIME, 0x10 NREXT64)  152 ino; data fork at 100 (v1/v2) or 176 (v3).
 * Extent record (128 bits): bit 127 unwritten, 73-126 file block, 21-72 fsblock, 0-20 length.
 * bmbt: root in the fork (level u16, numrecs u16, maxrecs keys u64, then fsblock pointers u64), blocks BMAP v4
 *   (24-byte header) / BMA3 v5 (72 bytes; owner inode at 56, crc at 64); keys then pointers at header + maxrecs * 8.
 * Directory: short form (count, i8count, parent, entries: namelen, offset u16, name, ftype, inode of 4 or 8 bytes);
 *   else data blocks of blocksize &lt;&lt; dirblklog below 32 GiB (XD2B/XD2D 16-byte header, XDB3/XDD3 64 bytes with
 *   crc at 4 and owner at 40): entries (inode u64, namelen, name, ftype, pad, tag u16) and unused spaces
 *   (0xFFFF, length u16, ..., tag), 8-byte aligned; a single-block directory ends with hash entries and a tail.
 * Remote symlink block (v5): XSLM, offset, bytes, crc at 12, uuid, owner at 32, blkno, lsn: 56 bytes, then target.
 * Log record header: 0 0xFEEDBABE  4 cycle  8 version  12 len  40 num_logops  320 size; other basic blocks start
 *   with their cycle number; an op header's flags byte is at 9 (0x20 UNMOUNT).
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * {@link org.disklens.content.xfs.XfsFileSystem} lists a directory by reading all its data blocks below the leaf
 * offset (32 GiB) in file order, whichever form it has (block, leaf, node, or with a bmbt): the hash leaves and free
 * index are not needed to list. Short-form directories are read from the inode. Inodes are located by number and
 * read through a cache of 16 KiB chunks; each entry's inode gives type, size, mode, owner, links and the mtime to the
 * nanosecond. {@code map} answers a whole extent; holes and unwritten extents are {@code Mapping.Zero}; a bmbt is
 * descended from the root, its inner keys bounding the holes, without following sibling pointers. Free space comes
 * from each AG's bnobt (AGFL blocks count as used). v5 checksums (superblock, AGF, AGI, inodes, bmbt, bnobt,
 * directory data blocks, remote symlink blocks) are verified as read; a mismatch is a warning, not a refusal.
 *
 * <h2>The log</h2>
 * Not replayed. Checked as the kernel's recovery begins: the head is found by binary search on cycle numbers, and the
 * last record before it must be a lone unmount record ending at the head; a log never written (cycle 0) is clean.
 * Anything else, and log-incompatible feature bits left set, is a warning that the file system is shown as last
 * written. An external log is not checked; {@code sb_inprogress} and NEEDSREPAIR are warnings too.
 *
 * <h2>Refused</h2>
 * Versions other than 4 and 5, version 1 directories, unknown incompatible features ({@code UnsupportedFeature});
 * files with the real-time flag when read, by name ("on the real-time subvolume, which DiskLens does not read").
 *
 * <h2>Limits (beyond them: {@code CorruptImage} or {@code LimitExceeded} with the structure's volume offset)</h2>
 * blocks of 512 bytes to 64 KiB, sectors of 512 bytes to 32 KiB, inodes of 256 (512 on v5) to 2048 bytes; AGs of 64
 * to 2^31 blocks with agblklog matching, whose count and size make dblocks; directory blocks at most 64 KiB; every
 * block number checked against its AG and every read against the volume (a volume shorter than the file system is a
 * warning, and what lies past it damage); extent records in order, non-empty, within their space; bmbt roots of 1
 * to 14 levels, each block exactly one level below its parent (a loop is met as a level mismatch), keys in order;
 * bnobt of at most 9 levels, every block one level below its parent, records in increasing order (a block reached
 * twice is met as records out of order); directories at most 64 MiB of data blocks; symlink targets 1 to 1024 bytes.
 * A damaged directory block gives the entries before the damage and a warning (the kernel's entry and unused-space
 * checks: lengths, alignment, tags); an entry whose inode cannot be read is left out with a warning; a damaged AG's
 * free space counts as used, with a warning. Caches: 8 MiB of inode chunks, 4 MiB of bmbt nodes; at most 100
 * distinct warnings.
 */
package org.disklens.content.xfs;

/**
 * FAT12, FAT16 and FAT32 ({@code vfat}, the one word blkid uses for all three), read-only, as Microsoft's
 * "FAT: General Overview of On-Disk Format" (fatgen103, version 1.03) specifies it, with the VFAT long names it
 * describes and the Windows NT case flags Linux honours.
 *
 * <h2>Layout</h2>
 * <pre>
 * Boot sector (BPB), little-endian                 FAT12/16 tail          FAT32 tail
 *  11 BPB_BytsPerSec (512..4096, power of 2)        36 BS_DrvNum           36 BPB_FATSz32   40 BPB_ExtFlags
 *  13 BPB_SecPerClus (1..128, power of 2)           38 BS_BootSig          42 BPB_FSVer (0.0)
 *  14 BPB_RsvdSecCnt (&gt;= 1)  16 BPB_NumFATs (&gt;= 1)  39 BS_VolID           44 BPB_RootClus  48 BPB_FSInfo
 *  17 BPB_RootEntCnt (0 on FAT32)                  43 BS_VolLab           67 BS_VolID      71 BS_VolLab
 *  19 BPB_TotSec16  22 BPB_FATSz16 (0 on FAT32)     54 BS_FilSysType       82 BS_FilSysType
 *  32 BPB_TotSec32                                  510 0x55 0xAA
 *
 * Volume: reserved sectors | NumFATs x FAT | fixed root (FAT12/16: RootEntCnt x 32 bytes) | data region
 * clusters = (TotSec - (RsvdSecCnt + NumFATs x FATSz + root sectors)) / SecPerClus, numbered from 2
 * FAT entry (12/16/28 bits): 0 free, 2..last next cluster, 0x(F)FF7 bad, 0x(F)FF8 and above end of chain,
 *   1 and values between the last cluster and the bad mark reserved; FAT[1]'s top bits on FAT16/32: clean
 *   shutdown and no disk error
 * Directory entry, 32 bytes: 0 name 8+3 (0x00 end, 0xE5 deleted, 0x05 = a leading 0xE5), 11 attributes
 *   (0x08 volume label, 0x10 directory, 0x0F long-name slot), 12 NT flags (0x08 base, 0x10 extension in
 *   lower case), 20 first cluster high (FAT32), 22 write time, 24 write date, 26 first cluster low, 28 size
 * Long-name slot: 0 order (1..20, 0x40 on the last part, stored first), 1/14/28 13 UTF-16 units,
 *   13 checksum of the 11-byte short name (rotate right, add), 12 type 0
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * <ul>
 * <li><b>Kind.</b> By fatgen103's cluster count (below 4085 FAT12, below 65525 FAT16), except that a BPB of FAT32's
 * shape ({@code BPB_FATSz16} = 0) is FAT32 whatever its count, as Linux and dosfstools read it: mkfs.vfat -F 32
 * makes such volumes (a warning says so; mtools, going by the count alone, cannot read them). The probe's answers
 * ({@link org.disklens.content.fat.FatType#probe}) are unchanged: it still goes by the type text.</li>
 * <li><b>FAT.</b> The active FAT (FAT32's {@code BPB_ExtFlags} when mirroring is off, else the first) is read in
 * chunks of 16,384 entries kept in a 64-chunk LRU cache (at most 4 MiB). FAT copies are not compared.</li>
 * <li><b>Files.</b> A file's chain is followed for the clusters its size needs (it may go on: only the size counts,
 * as for Linux), kept as runs of consecutive clusters (8 bytes a run, a bounded cache of 1 Mi runs), and
 * {@code map} answers a whole run as one {@code Mapping.Data}. Damage refuses the read: a chain that ends, reaches
 * a free, bad or reserved entry or a cluster past the volume before the size is covered, a size needing more
 * clusters than the volume has, or a chain meeting one of its own clusters twice (a loop, or a cross-link onto
 * itself). Cross-links between two files are not looked for (that needs a bitmap of the whole volume; Linux
 * and mtools read both files too).</li>
 * <li><b>Directories.</b> The fixed root (FAT12/16) or a cluster chain (FAT32's root, every subdirectory), read
 * whole, at most 2 MiB (65,536 entries, fatgen103's and Linux's limit). A chain that loops, grows past 2 MiB,
 * reaches a bad, free or reserved entry or leaves the volume gives the entries read so far and a warning.
 * Their size is reported as 0, as the entry records it and mdir shows (Linux shows the chain's length; computing
 * it would cost a FAT walk per directory listed). {@code node} is the directory's first cluster; the root, and
 * any entry pointing at cluster 0 or FAT32's root cluster, is node 0, so a walk stops at a directory that
 * contains itself or the root. Files' node is their first cluster (0 when empty).</li>
 * <li><b>Names.</b> A run of long-name slots with orders n down to 1 and one checksum names the short entry right
 * after it when that entry's checksum matches; any other run is dropped with a warning and the entry keeps its
 * short name, as Linux does. A long name that is empty, {@code .} or {@code ..}, or holds {@code /} or NUL,
 * cannot name a file here either: the short name is used, with a warning.
 * Short names are decoded in OEM code page 437 (Linux's default {@code codepage=437}; the table is kept here),
 * padding removed, base and extension lowered where the NT flags say so, as Linux and mdir show them.
 * Deleted entries, the volume label entry and {@code .}/{@code ..} are skipped; a 0x00 first byte ends the
 * directory. The label itself is the probe's (the boot sector's).</li>
 * <li><b>Times.</b> Only the last-write date and time (2-second resolution). FAT stores local time without a zone;
 * DiskLens reads it as UTC (what mtools writes with TZ=UTC, and what Linux shows with tz=UTC). A zero or
 * impossible date is no time. Creation and access times are not read.</li>
 * <li><b>Attributes.</b> FAT has no mode, owner, links or inodes: every entry has {@code Attributes.NONE}; the
 * read-only, hidden, system and archive bits are not shown.</li>
 * <li><b>Free space.</b> Clusters whose FAT entry is 0, as byte runs of the data region, merged; the sectors
 * after the last whole cluster belong to no cluster and are not reported.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * Refused at open: sector sizes other than 512 to 4096 (powers of two), clusters of other than 1 to 128 sectors,
 * no reserved sector or FAT, a FAT too small for the clusters, a data region starting past the volume (an
 * absurd root entry count), a FAT12/16 BPB with more clusters than 16-bit entries number, FAT32 versions other
 * than 0.0, a FAT32 root cluster outside the volume, an active FAT that does not exist. A volume shorter than the
 * BPB says opens with a warning; what lies past its end is damage when read. Directories: 2 MiB each. Files: at
 * most 1 Mi fragments ({@code LimitExceeded} beyond). Warnings: the first 100.
 */
package org.disklens.content.fat;

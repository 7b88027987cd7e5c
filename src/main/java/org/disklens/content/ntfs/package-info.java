/**
 * NTFS, read-only, as libyal's libfsntfs document "New Technologies File System (NTFS)" describes it, listed the way
 * Linux's ntfs-3g shows it (the reference the tests compare with).
 *
 * <h2>Layout</h2>
 * <pre>
 * Boot sector          3 "NTFS    "  11 bytes/sector (256..4096)  13 sectors/cluster (1..128, or 2^(256-n) from 0xF4)
 *                     40 total sectors  48 $MFT cluster  56 $MFTMirr cluster  64 record size (&lt;0: 2^-n bytes, else
 *                        clusters)  72 serial
 * MFT record "FILE"    4 update sequence offset  6 its count (1 + one per 512 bytes)  16 sequence  18 link count
 *                     20 first attribute  22 flags (1 in use, 2 directory)  24 used  28 allocated  32 base record
 *                        (extension records: their base's reference)  44 record number
 * Attribute            0 type  4 length  8 non-resident  9 name length  10 name offset  12 flags (0x00FF compressed,
 *                        0x4000 encrypted, 0x8000 sparse)  14 id
 *   resident          16 value length  20 value offset
 *   non-resident      16 first VCN  24 last VCN  32 run list offset  34 compression unit (2^n clusters)
 *                     40 allocated  48 data size  56 initialized size
 * Run list             header byte: low nibble bytes of the length, high nibble bytes of the signed LCN delta
 *                        (0: a sparse run); 0 ends the list; each attribute's list starts from LCN 0
 * $STANDARD_INFORMATION 0 created  8 last written (the mtime)  16 MFT changed  24 accessed  32 file attributes
 *                        (2 hidden, 4 system, 0x400 reparse point, 0x800 compressed, 0x4000 encrypted)
 * $FILE_NAME           0 parent  8..39 times  48 size  56 flags  64 name length  65 namespace (0 POSIX, 1 Win32,
 *                        2 DOS, 3 Win32 and DOS)  66 name (UTF-16)
 * $ATTRIBUTE_LIST      entries: 0 type  4 length  6 name length  7 name offset  8 first VCN  16 record  24 id
 * $INDEX_ROOT ($I30)   0 indexed type (0x30)  4 collation  8 index block size  16 node header
 * INDX block           "INDX", update sequence, 16 its VCN, 24 node header
 * Node header          0 entries offset  4 used size (both from the header)  12 flags (1 branch)
 * Index entry          0 file reference  8 length  10 key length  12 flags (1 sub-node, 2 last)  16 key ($FILE_NAME)
 *                        sub-node VCN in the last 8 bytes; VCNs count clusters (512-byte units when blocks are
 *                        smaller than a cluster)
 * $REPARSE_POINT       0 tag  4 data length  8 data: symbolic link 0xA000000C (substitute/print name offsets and
 *                        lengths, flags (1 relative), names), junction 0xA0000003 (the same without flags),
 *                        WSL link 0xA000001D (version 2, UTF-8 target)
 * LZNT1                chunks of at most 4 KiB: header (bits 0-11 size - 1, bit 15 compressed), flag bytes, literals
 *                        and 16-bit back-references whose offset takes 4 to 12 bits as the chunk grows
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * The MFT is found through record 0's {@code $DATA} runs (continued in extension records when record 0 has an
 * attribute list); if record 0 is torn, its copy in {@code $MFTMirr} is used, with a warning. Records are read in
 * 32 KiB chunks from a 16 MiB LRU cache; each record's update sequence is checked (a mismatch is damage of that
 * record only). A directory lists by walking its {@code $I30} B-tree in order, so entries come in NTFS's collation
 * order (ntfs-3g's readdir and ntfsls list the index root first, then each block: the same names in another order).
 * Files map run by run: {@link org.disklens.image.Mapping.Data} for a whole run, {@code Zero} for sparse runs and
 * for bytes past the initialized size, resident values from memory. In a compressed stream a unit (16 clusters) whose
 * clusters are all allocated is stored plainly, one with none is zero, others decode through
 * {@link org.disklens.content.ntfs.CompressedUnit}.
 *
 * <h2>What is shown, as ntfs-3g shows it</h2>
 * <ul>
 * <li>Records 0 to 15 ($MFT, $MFTMirr, $LogFile, $Volume, $AttrDef, $Bitmap, $Boot, $BadClus, $Secure, $UpCase,
 * $Extend and the reserved ones) are hidden, as ntfs-3g's mount hides them; other names starting with {@code $} (such
 * as {@code $RECYCLE.BIN}) are ordinary directories and shown, as ntfs-3g shows them. DOS-only names (8.3 aliases)
 * are hidden; Win32, Win32-and-DOS and POSIX names are shown.
 * <li>Times: mtime is $STANDARD_INFORMATION's last-written time, with its 100 ns precision.
 * <li>Sizes: a file's unnamed {@code $DATA} size; a directory's {@code $I30} index allocation size (0 when it has
 * none), as ntfs-3g's stat gives; a link's target length in UTF-8.
 * <li>Hard links: each name lists the same record; links = the record's link count, inode = the record number.
 * <li>Alternate data streams: extra FILE entries {@code name:stream} after their file, readable.
 * <li>Links: reparse-point symbolic links and junctions, WSL links, and Interix links ({@code IntxLNK\1} in a system
 * file's data, which ntfs-3g writes for {@code ln -s}) are symlinks. A relative link's target is its substitute name
 * with {@code /}; an absolute one ({@code \??\C:\dir}) is {@code C:/dir}, where ntfs-3g shows
 * {@code <mount point>/.NTFS-3G/C:/dir} (or, when that path exists on the volume itself, a path under its mount point).
 * <li>Other: WSL FIFOs, sockets and devices; Interix FIFOs (an empty system file that is not hidden), sockets (one
 * byte) and devices ({@code IntxCHR}/{@code IntxBLK}, 24 bytes).
 * <li>Other reparse points (where ntfs-3g without its plugins shows a broken link) keep their file or directory
 * type.
 * <li>Refused when read, by name: EFS-encrypted files (the encrypted flag or an {@code $EFS} stream); files whose
 * data Windows keeps elsewhere (WOF-compressed, deduplicated, cloud placeholders).
 * <li>Free space: the clusters clear in {@code $Bitmap} (record 6), merged into runs.
 * <li>Warnings: a volume marked dirty in $Volume's {@code $VOLUME_INFORMATION} (flags at byte 10, bit 0); the journal
 * ({@code $LogFile}) is not replayed.
 * </ul>
 *
 * <h2>Limits (beyond them: {@code LimitExceeded} or {@code CorruptImage})</h2>
 * Clusters up to 2 MiB; records 512 B to 64 KiB; index blocks 512 B to 64 KiB; compression units at most 1 MiB;
 * 2^20 runs per stream; attribute lists of at most 4 MiB naming at most 4,096 extension records, each of which must
 * name the listing record as its base (so a list cannot loop); index B-trees at most 32 levels deep, each block visited
 * once per listing, at most 2^22 entries; reparse points of 16 KiB; Interix files of 8 + 2 x 4096 bytes. Runs of no
 * clusters, runs past the volume and VCNs past 2^42 are damage. A damaged sub-node of an index, or a damaged child
 * record, leaves those entries out with a warning; the rest of the directory lists.
 */
package org.disklens.content.ntfs;

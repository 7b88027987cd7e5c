/**
 * qcow2 (versions 2 and 3), read and written, as qemu's {@code docs/interop/qcow2.txt} specifies it. All of the
 * format is here: probe ({@code Qcow2Format}), header and extension records that parse and encode
 * ({@code Qcow2Header}, {@code Qcow2Extensions}), the reader answering mappings ({@code Qcow2Image}), its typed facts
 * (header fields, feature flags, bitmaps, snapshots), the check, the host-file regions of the File layout chart
 * ({@code Qcow2Regions}, {@code Qcow2HostWalk}), the writer, its options and its {@code measure} ({@code Qcow2Config}).
 *
 * <h2>Layout</h2>
 * <pre>
 * Header (big-endian)                      Header extensions (type, length, data, pad to 8)
 *   0  magic "QFI\xfb"    36 l1_size          0xe2792aca backing file format name
 *   4  version 2|3        40 l1_table_offset  0x6803f857 feature name table (48-byte entries)
 *   8  backing_file_off   48 refcount_table   0x23852875 bitmaps (count, directory size, offset)
 *  16  backing_file_size  56 refcount_clusters 0x0537be77 full-disk-encryption header (offset, length)
 *  20  cluster_bits       60 nb_snapshots     0x44415441 external data file name
 *  24  size               64 snapshots_offset others      kept as Unknown and shown
 *  32  crypt_method       72 incompatible (v3: dirty, corrupt, data file, compression, extended L2)
 *                         80 compatible (lazy refcounts) 88 autoclear (bitmaps, data-file-raw)
 *                         96 refcount_order 100 header_length 104 compression_type (0 zlib, 1 zstd)
 * </pre>
 * Guest offset to host: {@code l1[offset / (cluster * l2_entries)]} points at an L2 table (one cluster);
 * its entry for the cluster is a standard descriptor (bit 0 zero flag, bits 9-55 host cluster, bit 63
 * COPIED) or a compressed one (bit 62; host offset and extra 512-byte sectors packed by cluster_bits).
 * Extended L2 entries are 128 bits: the descriptor plus 32 allocation and 32 zero bits, one pair per
 * subcluster (cluster / 32).
 *
 * <h2>How DiskLens reads it</h2>
 * {@link org.disklens.image.qcow2.Qcow2Image#map} answers runs of equal state (data with contiguous host
 * offsets, zero, unallocated, one compressed cluster at a time) and walks over whole empty L1 ranges at once,
 * so a 16 TiB sparse image maps in a few steps. L2 tables sit in a cache bounded to 32 MiB. The L1 table is
 * read whole (at most 32 MiB). {@code map} follows qemu-img's rules, including its heuristic for
 * images preallocated with metadata (data runs over holes in the file then also report {@code zero}). That
 * heuristic is the only reason {@code map} and {@code compare} read refcounts: a refcount table that cannot be read
 * makes it answer "not preallocated" with a warning, and only {@code check} refuses the image. An external data
 * file that resolves to the image itself is refused when it is first needed.
 * The check ({@code Qcow2Check}) is qemu's refcount rebuild: it counts references from the header, active
 * and snapshot L1/L2 tables, snapshot table, refcount table and blocks, encryption header and bitmaps,
 * compares them with the stored refcounts, and reports qemu-img's counters and messages.
 *
 * <h2>How DiskLens writes it</h2>
 * {@code Qcow2Writer} (with {@code Qcow2Allocator}) writes front to back in one pass: data clusters in guest order,
 * each L2 table when its range is done, refcount blocks inline as the file grows (one or two in memory), then the L1
 * table, the refcount table and the header ({@code Qcow2Header.encode}: the backing format and feature name
 * extensions, as qemu writes them). Compressed clusters are packed byte by byte, sharing host clusters while the
 * refcount width allows, as qemu packs them; a cluster that does not shrink is stored as is. zlib is raw deflate with
 * qemu's parameters and its 4 KiB window (qemu inflates with {@code windowBits -12}), through the system's zlib (FFM,
 * {@code NativeZlib}) where there is one, else {@link java.util.zip.Deflater} fed 4 KiB at a time with full flushes
 * (valid for qemu, somewhat larger); zstd is one aircompressor frame per cluster. With {@code -B}, only the source's
 * top layer is written: its zero clusters become zero clusters (version 3) or stored zeroes (version 2), its
 * unallocated runs stay unallocated. {@code measure} is qemu's {@code qcow2_measure}. Every cluster of the file is
 * referenced exactly as its refcount says, so {@code qemu-img check} finds no leak and no corruption.
 *
 * <h2>Limits (qemu's own; beyond them the image is refused with {@code LimitExceeded})</h2>
 * cluster size 512 B to 2 MiB; L1 table at most 32 MiB; refcount table at most 8 MiB; at most 65,536
 * snapshots, 1 KiB of extra data each and a 64 MiB snapshot table; backing file name at most 1023 bytes
 * inside the first cluster; at most 65,535 bitmaps and a 64 MiB bitmap directory; refcount width at most
 * 64 bits; decompression never produces more than one cluster; check refuses files of more than 2^28
 * clusters (its rebuilt refcounts would not fit in memory). Every table is checked against the file size
 * before it is read. Unknown incompatible feature bits refuse the open.
 *
 * <h2>Encryption (read; {@code Qcow2Encryption})</h2>
 * {@code crypt_method} 2, {@code encrypt.format=luks}: a LUKS1 header at the offset the extension 0x0537be77 gives
 * (its key slot offsets count from there; {@code info} shows it as qemu-img does), unlocked with the command's
 * passphrase through {@code org.disklens.crypto}; every 512-byte sector of a data cluster is decrypted with the IV of
 * its <em>host</em> sector number (file offset / 512: qemu's {@code crypt_physical_offset}), the LUKS payload offset
 * playing no part. {@code crypt_method} 1, legacy {@code encrypt.format=aes}: AES-128-CBC, the key the passphrase's
 * bytes up to the first NUL, cut or zero-padded to 16 ({@code crypto/block-qcow.c}), IV the <em>guest</em> sector
 * number (plain64); no check of the passphrase is possible. Data clusters map as {@code Encrypted} without a host
 * offset (qemu's block status leaves it out too); the key is had on first read, so {@code info}, {@code map} and
 * {@code check} need none. Without a passphrase reading data is one line ("locked: give --passphrase-file"); a wrong
 * LUKS passphrase is "no key slot opens with this passphrase". Checked against qemu-img's keyed {@code convert -O raw}
 * for aes-128/256, xts/cbc, plain/plain64/essiv:sha256, sha1/sha256/sha512 and legacy aes.
 *
 * <h2>Encryption (write)</h2>
 * {@code -o encrypt.format=luks[,encrypt.cipher-alg=…,encrypt.cipher-mode=…,encrypt.ivgen-alg=…,
 * encrypt.ivgen-hash-alg=…,encrypt.hash-alg=…,encrypt.iter-time=…]} with {@code --target-passphrase-file FILE}: a new
 * LUKS1 header from {@code org.disklens.crypto.Luks1Writer} (qemu's defaults and layout) in the clusters allocated
 * right after the header cluster, named by extension 0x0537be77 (its offset, and its length: the LUKS payload offset,
 * as qemu writes it), {@code crypt_method} 2; each data cluster encrypted sector by sector with the IV of its host
 * sector. Unallocated and zero clusters stay so (qemu reads them as zeroes without decrypting). Refused in one line:
 * no passphrase ({@code --target-passphrase-file}, or the command line maps {@code encrypt.key-secret} and a qemu
 * {@code --object secret} to it; a key-secret reaching the writer is refused);
 * {@code -c} ("Compression and encryption not supported at the same time", qemu's words); {@code preallocation};
 * {@code encrypt.format=aes}. {@code measure} adds the header's clusters to both sizes, as {@code qcow2_measure} does.
 */
package org.disklens.image.qcow2;

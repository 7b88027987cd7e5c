/**
 * VHD (qemu-img calls it {@code vpc}), read and written, as Microsoft's "Virtual Hard Disk Image Format
 * Specification" (2006) lays it out and as qemu 7.2's {@code block/vpc.c} reads and writes it. All of the format is
 * here: probe, the footer, dynamic header and parent locator records that parse and encode ({@code VhdFooter},
 * {@code DynamicHeader}, {@code ParentLocator}), the BAT and sector bitmaps ({@code BlockTable}), the reader
 * ({@code VhdImage}), the check, the host layout, and the writers with their options and {@code measure}
 * ({@code VhdConfig}).
 *
 * <h2>Files</h2>
 * <pre>
 * fixed         guest disk | footer (512)
 * dynamic       footer copy (512) | dynamic header (1024) | BAT | block | block | … | footer (512)
 * differencing  as dynamic; the dynamic header also names the parent (unique id, time stamp, unicode name,
 *               parent locators) and the locators' data lies somewhere in the file
 * block         sector bitmap (a bit per sector, rounded up to 512 bytes) | block data (block size, 2 MiB usually)
 * </pre>
 * Everything is big-endian. Footer (512 bytes): 0 cookie "conectix", 8 features (bit 0 temporary, bit 1 always
 * set), 12 version 1.0, 16 data offset (the dynamic header; all ones when fixed), 24 time stamp (seconds since
 * 2000-01-01 UTC), 28 creator application, 32 creator version, 36 creator host OS, 40 original size, 48 current
 * size, 56 geometry (cylinders 16-bit, heads 8-bit, sectors per track 8-bit), 60 disk type (2 fixed, 3 dynamic,
 * 4 differencing), 64 checksum (ones' complement of the byte sum with this field zeroed), 68 unique id, 84 saved
 * state. Dynamic disk header (1,024 bytes): 0 cookie "cxsparse", 8 data offset (unused), 16 table offset (the
 * BAT), 24 version, 28 max table entries, 32 block size, 36 checksum (as the footer's), 40 parent unique id, 56
 * parent time stamp, 64 parent unicode name (512 bytes of UTF-16), 576 eight parent locators of 24 bytes
 * (platform code, data space, data length, reserved, data offset). A BAT entry is the sector where a block (its
 * bitmap first) starts, {@code 0xFFFFFFFF} when the block is not allocated. In the bitmap the most significant bit
 * of the first byte is the block's first sector; a set bit means the sector is stored in this file.
 *
 * <h2>How DiskLens reads it</h2>
 * Like qemu 7.2: a file beginning with "conectix" is dynamic or differencing and described by that copy of the
 * footer (qemu never reads the end footer of such a disk); otherwise the footer at the end must be a fixed disk's.
 * The footer used must have a correct checksum (qemu refuses it otherwise: "Incorrect header checksum"). The size is
 * qemu's: the CHS geometry's cylinders × heads × sectors, except for the creators {@code "win "} (Hyper-V),
 * {@code "qem2"} (qemu with force_size), {@code "d2v "} (Disk2vhd), {@code "CTXS"} (XenConverter) and
 * {@code "tap\0"} (XenServer), and for the largest geometry 65535 × 16 × 255, which take the footer's current size
 * (so {@code "vpc "}, {@code "vs  "}, {@code "qemu"} disks are sized by their geometry, and a Disk2vhd disk whose
 * creator is {@code "d2v\0"} too, as qemu compares four bytes); at most 2040 GiB. A dynamic disk is refused as qemu
 * refuses it: a block size that is not a power of two of at least 512 bytes, a BAT too small for the disk or of more
 * than 2^29 entries, a block that ends past the end of the file ("the image is truncated"). {@code map}: a fixed
 * disk is one data run (with the host file's holes as zero, as qemu-img shows them); a dynamic disk answers per
 * block, unallocated blocks as zero (present, as qemu reports them), and within an allocated block runs of sectors
 * whose bitmap bits agree.
 *
 * <h2>Where DiskLens decides otherwise than qemu-img</h2>
 * <ul>
 *   <li>Sector bitmaps are honoured: a clear bit reads as zeroes in a dynamic disk and as the parent's bytes in a
 *       differencing disk (the specification's meaning); qemu reads every sector of an allocated block from the
 *       block. qemu writes every bit set, so the two agree on every image qemu writes.</li>
 *   <li>Differencing disks have their parent: qemu opens them as dynamic disks whose absent blocks read as zeroes,
 *       and shows no backing file. DiskLens names the parent through {@code backing()} (format {@code vpc}) by the
 *       relative Windows path of a {@code W2ru} locator, else the file name of the parent's unicode name (or of a
 *       {@code W2ku}/{@code MacX} path), resolved beside the child through the open policy; a parent whose unique id
 *       is not the one the child names is a warning of the chain. Locator paths are UTF-16 in either byte order (the
 *       order whose high bytes are zero), {@code MacX} a UTF-8 {@code file://} URL; a data space of 512 or more is
 *       taken as bytes, as some writers store it.</li>
 *   <li>A fixed disk whose guest data begins with "conectix" (a VHD inside a VHD) opens by its end footer; qemu
 *       takes the inner footer for a dynamic disk's.</li>
 *   <li>qemu checks neither the dynamic header's checksum nor a dynamic disk's end footer: DiskLens opens such disks
 *       too, shows the damage as a warning and reports it from {@code check}.</li>
 *   <li>{@code check} is DiskLens's own (qemu-img has none for vpc): the damage above, metadata structures that
 *       overlap, blocks that overlap the metadata or each other, a fixed disk's data shorter than its size; the
 *       counters are blocks (total, allocated, stored out of guest order) and the image's end.</li>
 *   <li>Disk types other than 2, 3 and 4 are refused (qemu opens any type with a copy at the start as dynamic).</li>
 *   <li>{@code measure -O vpc}: qemu-img cannot; DiskLens answers the layout it writes.</li>
 *   <li>The old 511-byte footer of Virtual PC versions before 2004 is not recognised (nor is it by qemu).</li>
 * </ul>
 *
 * <h2>How DiskLens writes it</h2>
 * As qemu-img does ({@code vpc_co_create}): {@code subformat=dynamic} (default) with 2 MiB blocks, laid out footer
 * copy, header at 512, BAT at 1,536, blocks in guest order, footer; or {@code subformat=fixed}, the disk then the
 * footer. The size is the source's rounded up to a sector, then, without {@code force_size}, up to the first CHS
 * geometry that holds it ({@code calculate_geometry} from the specification's appendix with qemu's 255-sector
 * extension, grown a sector at a time), creator {@code "qemu"}, so qemu and Virtual PC read the same size from the
 * geometry; with {@code force_size}, the exact size, the largest geometry and creator {@code "qem2"}, which qemu,
 * Hyper-V, vhdiinfo, 7-Zip and Azure read from the current size. Both sizes are written in the footer, so readers
 * that use the current size (vhdiinfo, 7-Zip) agree with qemu either way. Past 65535 × 16 × 255 sectors the size
 * is exact in both modes; past 2040 GiB the target is refused in qemu's words. Every sector bitmap is written full;
 * zero runs inside a block are left as holes. {@code -B} and {@code -c} are refused, as qemu-img refuses them.
 *
 * <h2>Limits</h2>
 * The BAT is read whole at open, at most 32 MiB (8 Mi entries: 16 TiB of 2 MiB blocks, beyond the format's 2040 GiB)
 * and at most 2^29 entries (qemu's limit); sector bitmaps are cached up to 4 MiB; parent locator data is read up to
 * 64 KiB each; {@code check} lists the first 1,000 problems and counts the rest.
 */
package org.disklens.image.vhd;

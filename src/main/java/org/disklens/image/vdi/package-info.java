/**
 * VirtualBox VDI, read and written, as VirtualBox's {@code VDICore.h} and {@code VDI.cpp} define it and as qemu's
 * {@code block/vdi.c} reads and writes it. All of the format is here: probe ({@code VdiFormat}), the header record
 * that parses and encodes ({@code VdiHeader}), the block map ({@code BlockMap}, {@code BlockMapWriter}), the reader
 * ({@code VdiImage}), its check ({@code VdiCheck}), header fields and host layout, the writers with their options and
 * {@code measure} ({@code VdiConfig}).
 *
 * <h2>Layout (little-endian)</h2>
 * <pre>
 * Pre-header     0 szFileInfo[64] "&lt;&lt;&lt; Oracle VM VirtualBox Disk Image &gt;&gt;&gt;\n" (or innotek, Sun, Sun xVM, QEMU VM:
 *                  for eyes only)   64 u32Signature 0xbeda107f   68 u32Version (major &lt;&lt; 16 | minor)
 * Header 1.x    72 cbHeader (0x180; 0x190 with LCHS)  76 u32Type  80 fFlags  84 szComment[256]
 *              340 offBlocks  344 offData  348 LegacyGeometry (cylinders, heads, sectors, cbSector)  364 u32Dummy
 *              368 cbDisk (u64)  376 cbBlock  380 cbBlockExtra  384 cBlocks  388 cBlocksAllocated
 *              392 uuidCreate  408 uuidModify  424 uuidLinkage  440 uuidParentModify  456 LCHSGeometry (1.1+)
 * Header 0.x    72 u32Type  76 fFlags  80 szComment[256]  336 LegacyGeometry  352 cbDisk  360 cbBlock  364 cBlocks
 *              368 cBlocksAllocated  372 uuidCreate  388 uuidModify  404 uuidLinkage; the block map follows at 420,
 *              the data right after it
 * Types         1 dynamic (normal), 2 static (fixed), 3 undo, 4 differencing
 * Block map     cBlocks entries at offBlocks: 0xffffffff free (never written: the parent decides; zeroes in a base
 *               image), 0xfffffffe zero (discarded), else the block's index n in the data area: its data at
 *               offData + n * (cbBlock + cbBlockExtra) + cbBlockExtra
 * UUIDs         RTUUID: the first three fields little-endian, as Microsoft GUIDs
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * {@link org.disklens.image.vdi.VdiImage#map} answers runs of blocks with equal state: data with contiguous host
 * offsets, {@code Zero} for zero blocks, and for free blocks {@code Zero} in a base image (as qemu-img's {@code map}
 * reports them) or {@code Unallocated} in a differencing or undo image (its parent decides, as in VirtualBox). Like
 * qemu, a static image's data blocks are looked into for holes in the file ({@code map} then says zero and data).
 * The block map is read lazily in 64 KiB pages, at most 32 MiB cached: a 16 TiB image opens at once. The virtual
 * size is {@code cbDisk} rounded up to whole sectors, as qemu rounds it ({@code VBoxManage convertfromraw} writes odd
 * sizes); {@code cluster-size} is the block size; qemu-img shows no format-specific facts for VDI, nor does
 * DiskLens. The check ({@code VdiCheck}) is qemu's (entries past the block count, data blocks used twice, the
 * allocated count), in its words, plus data blocks past the end of the file and, when the counts agree, entries past
 * the allocated count (the next block appended would overwrite them); it also reports the total, allocated and
 * fragmented blocks and the end of the used data area, which qemu-img does not.
 *
 * <h2>Differencing images and their parents</h2>
 * A differencing VDI does not store its parent's file name, only the parent's image UUID ({@code uuidLinkage}) and
 * its last-modification UUID when the child was made ({@code uuidParentModify}); VirtualBox finds the parent through
 * its media registry (the {@code .vbox} file or {@code VirtualBox.xml}). qemu refuses such images ("non-NULL link
 * UUID"). DiskLens names the parent {@code {UUID}.vdi} beside the child: VirtualBox names the differencing images of
 * snapshots by their own UUID in the machine's {@code Snapshots} folder, so a chain of snapshots resolves by that
 * name, through the open policy, by the generic {@code ImageOpener}; the base disk (named by people, usually one
 * folder up) is reported as a missing backing file that says the UUID it needs. When the chain opens, a parent whose
 * image UUID is not the link UUID, or whose size differs, is a warning ({@code linkProblemWith}). Searching the
 * folder for the VDI with that UUID ({@code VdiParentSearch}) needs a listing of the image's folder that
 * {@code OpenContext} does not offer yet. Differencing images are written by neither qemu nor DiskLens.
 *
 * <h2>How DiskLens writes it</h2>
 * Version 1.1 headers with VirtualBox's text and header size (0x190, LCHS geometry "not calculated"), random image and
 * modification UUIDs (VirtualBox refuses a null modification UUID), 1 MiB blocks, and qemu's layout: the block map at
 * 512, the data right after it rounded up to a sector. Dynamic (the default): blocks holding data appended in guest
 * order, whole; others left free. {@code static=on}: every block in place (entry i = i), the file given its full
 * length, only data written, so unwritten blocks stay holes, as qemu does. {@code preallocation}, which qemu-img
 * accepts for VDI and ignores, is honoured: {@code falloc} reserves and {@code full} writes every block (a dynamic
 * image then has all its blocks allocated in place). The size is rounded up to whole sectors; at most qemu's
 * {@code 0x1fffff80} blocks. qemu-img cannot {@code measure} VDI: {@code VdiConfig.estimate} answers this layout.
 *
 * <h2>Limits, and where DiskLens decides otherwise than qemu-img</h2>
 * At most {@code 0x1fffff80} blocks (qemu's limit, a 2 GiB block map); block sizes a power of two from 512 B to
 * 256 MiB and block extra data a power of two up to 256 MiB (qemu takes only 1 MiB blocks and ignores extra data,
 * reading such images wrongly; DiskLens places data as VirtualBox does); headers 0.x and 1.x of any minor version
 * (qemu: 1.1 only); offsets need no sector alignment (qemu refuses unaligned ones); image types other than 1-4 are
 * refused (qemu reads any type as dynamic); a block map that overlaps the header or the data area, or runs past the
 * end of the file, is refused (qemu reads zeroes past the end); a data block past the end of the file is an error
 * when read (qemu reads zeroes). The legacy geometry's sector size is shown, not required to be 512. Every check is
 * made before a byte of the map is read.
 */
package org.disklens.image.vdi;

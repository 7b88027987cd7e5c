/**
 * OVF appliances, read only: an OVA (the package in one tar file, {@code OvaFormat}, name {@code ova}) or a loose
 * {@code .ovf} descriptor beside its files ({@code OvfFormat}, name {@code ovf}), as DMTF DSP0243 (OVF 1.x and 2.0)
 * specifies them and VirtualBox and VMware export them. qemu-img has no such format (it reads an OVA as raw); what
 * DiskLens shows is its own, fixed by {@code CLI.md}.
 *
 * <h2>Files</h2>
 * <pre>
 * OVA = tar (POSIX ustar, GNU or pax) of, in this order:
 *   name.ovf        the descriptor (XML): must be the first member; it is what the probe looks for
 *   name.mf         optional manifest: "SHA256(file)= hex" per file (SHA1/224/256/384/512; "SHA1 (file) = hex" too)
 *   name.cert       optional: "SHA256(name.mf)= signature-hex" and the signer's X.509 certificate (PEM)
 *   disks, ISOs …   in References order (a manifest and certificate may also come last)
 * Tar header (512 bytes): name[100]@0, size[12]@124 (octal, or GNU base-256 past 8 GiB), chksum[8]@148,
 *   typeflag@156, magic "ustar"@257, prefix[155]@345 (POSIX); pax 'x' headers ("len key=value\n": path, size),
 *   GNU 'L' long names; data padded to 512 bytes; two zero blocks end the archive.
 * Descriptor (namespace http://schemas.dmtf.org/ovf/envelope/1 or /2, attributes ovf:*):
 *   References/File            ovf:id, ovf:href, ovf:size, ovf:compression (gzip; identity = none), ovf:chunkSize
 *   DiskSection/Disk           ovf:diskId, ovf:fileRef, ovf:capacity × ovf:capacityAllocationUnits ("byte * 2^30"),
 *                              ovf:format (a URL: …vmdk.html#streamOptimized), ovf:populatedSize
 *   NetworkSection/Network     ovf:name
 *   VirtualSystem              ovf:id, Name
 *     OperatingSystemSection   ovf:id (CIM code), vmw:osType, vbox:OSType, Description
 *     VirtualHardwareSection   Item: rasd:ResourceType 3 = CPUs (VirtualQuantity), 4 = memory (VirtualQuantity ×
 *                              AllocationUnits, "byte * 2^20" or "MegaBytes"); items of the default
 *                              DeploymentOptionSection configuration win
 * </pre>
 *
 * <h2>How DiskLens reads it</h2>
 * The tar's headers are walked (never extracted: {@code TarIndex}, header fields decoded with Commons Compress's
 * {@code TarUtils}), each member's data offset and size checked against the file. The descriptor is parsed with a
 * secure XML parser ({@code OvfDescriptor}: any DOCTYPE refused, so no entity is expanded and nothing else read;
 * secure processing, no external DTD/schema, no XInclude). The guest disk is the descriptor's first Disk, or the
 * {@code --disk N}th ({@code OpenContext.option("disk")}, 1-based; past the last is an error naming how many there
 * are). Its File is the OVA member named exactly by {@code ovf:href} — absolute hrefs, URLs and {@code ..} are refused
 * outright — read in place as a slice of the OVA, or for a loose OVF the file beside it, opened through the open
 * policy. The disk's format is probed by content ({@code ImageFormats.probe}) and must agree with {@code ovf:format}
 * where that names one DiskLens knows; it is opened by its own driver with a context that refuses every reference (a
 * disk inside an OVA must be whole; beside an OVF its references go through the policy, relative to its folder). A
 * differencing disk is refused. Every mapping the disk answers is translated to the OVA file ({@code Data},
 * {@code Compressed}, {@code Zero}/{@code Unallocated} host offsets plus the member's data offset), so {@code map}
 * shows offsets in the OVA and reads go straight to it.
 *
 * <p>A gzip-compressed disk ({@code ovf:compression="gzip"}, RFC 1952; several members one after the other allowed)
 * is read only by a caller that says it reads from start to end: the open option {@code access=sequential}, which a
 * conversion's source ({@code convert.SourceImage}: {@code convert}, {@code measure}, the window's Convert) sets.
 * {@code InflatedMember} then sees the member (or the file beside the OVF) as its inflated bytes, never written
 * anywhere: when opened it inflates the whole file once ({@code GzipStream}: each member's header parsed here —
 * FEXTRA, FNAME, FCOMMENT, FHCRC checked —, deflate data by the JDK's raw {@code Inflater}, CRC-32 and ISIZE of each
 * trailer checked) to learn the inflated size and to fail before any output is written; then reads inflate forward
 * through at most 2 inflaters, the last 48 MiB inflated kept in 1 MiB chunks (chunks not yet read are dropped after
 * chunks already read), the last 4 MiB (a streamOptimized footer and grain directory) kept from the first pass; a
 * read before every inflater that is not kept restarts one from the start. The disk inside is opened by its own
 * driver as above (probed, agreeing with {@code ovf:format}); its mappings are not translated: their host offsets are
 * offsets in the inflated stream, not in the OVA. A conversion of a streamOptimized disk (qemu-img's layout, grain
 * tables at the front, or VMware's, each table after its grains) reads it with no restart.
 *
 * <p>{@code info --json}: {@code format} {@code ova}/{@code ovf}, the shown disk's {@code virtual-size},
 * {@code cluster-size} and dirty flag, {@code actual-size} of the OVA (of the OVF and its disk file), and
 * {@code format-specific.data}: {@code name} (Name, else the VirtualSystem's ovf:id), {@code os-type}, {@code cpus},
 * {@code memory} (bytes), {@code networks}, {@code disks: [{href, format (vmdk, vhd, vhdx, qcow2, vdi, raw, else the
 * URL), capacity (bytes), compression (none, gzip)}]}; what the descriptor does not say is left out.
 * {@code check}: referenced files present with their {@code ovf:size}, no duplicate member names, manifest digests
 * (with progress), the certificate's signature over the manifest (not whether its certificate is trusted), then the
 * disk's own check. The File layout shows tar headers, descriptor, manifest, the shown disk's own regions, other
 * disks and files, and padding.
 *
 * <h2>Where DiskLens decides</h2>
 * <ul>
 *   <li>A gzip-compressed disk ({@code ovf:compression="gzip"}) cannot be read at random offsets without inflating
 *       everything before them, so only a conversion reads it (streamed, above). Every other use ({@code info},
 *       {@code map}, {@code check}, {@code compare}, {@code ls}, {@code cat}, the window's open) refuses it in one line
 *       that names what works: {@code ova: disk 1 of x.ova (disk.vmdk.gz) is gzip-compressed (ovf:compression): it can
 *       be read only from start to end, as a conversion does: disklens convert -O qcow2 x.ova disk.qcow2}, thrown as
 *       {@code image.SequentialOnly} so that the window can say it in its own words and offer Convert…. {@code info}
 *       is refused too (decided: its facts come from the disk's driver, which would need the whole stream inflated
 *       at each {@code info}; {@code info} of another, uncompressed disk of the same OVA shows the descriptor's facts,
 *       the gzip disk's {@code compression} among them). Other compressions and chunked files ({@code ovf:chunkSize})
 *       are refused.</li>
 *   <li>A blank disk (no {@code ovf:fileRef}, created at deployment) cannot be opened; an appliance without disks
 *       opens with a virtual size of 0, to show its facts.</li>
 *   <li>Members named twice: the last is read, as {@code tar -x} would leave it; {@code check} reports it.</li>
 *   <li>Capacities and memory in units DiskLens does not know (or property references such as {@code ${size}}) are
 *       left out of {@code info} and shown as written in the header sheet.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * at most 10,000 tar headers walked; pax headers and GNU long names at most 1 MiB; a descriptor at most 16 MiB; at
 * most 256 disks and 10,000 files; manifest and certificate at most 1 MiB each; a member whose size runs past the end
 * of the file is refused ({@code ova: tar header at 0x…}). A gzip disk may inflate to at most twice its
 * {@code ovf:capacity} plus 1 GiB (1 TiB when the capacity is not known), else the first pass stops ({@code a gzip
 * bomb}); a gzip header's FNAME or FCOMMENT at most 64 KiB; bytes after the last member that are not another member
 * are refused; memory for reading: 48 MiB of chunks, 4 MiB of tail, 2 inflaters. The disk's own driver applies its
 * own limits.
 */
package org.disklens.image.ova;

/**
 * ISO 9660 (ECMA-119), read-only: a file system ({@code Iso9660Type}, {@code IsoFileSystem}) and, because an ISO file
 * is also what people open as an image, a container format too ({@code -f iso}: {@code IsoFormat}, {@code IsoImage},
 * whose bytes are the disk).
 *
 * <h2>Structures</h2>
 * The volume descriptor set from sector 16 ({@code VolumeDescriptors}): primary, supplementary (Joliet when its
 * escape sequence says UCS-2: {@code %/@}, {@code %/C}, {@code %/E}), boot record (El Torito, whose catalog
 * {@code BootCatalog} lists BIOS, UEFI, PPC and Mac entries) and terminator. Directory records
 * ({@code DirectoryRecord}): extent, length, recording time ({@code IsoDate}), flags (directory, multi-extent),
 * interleaving, identifier, system use area. Rock Ridge ({@code RockRidge}, RRIP over SUSP): announced by the root's
 * {@code SP} entry; NM names, SL symlinks, PX modes, TF times, CE continuation areas, CL/RE relocations.
 *
 * <h2>How DiskLens reads it</h2>
 * Names come from Rock Ridge where the volume has it, else Joliet, else ISO 9660 identifiers (without {@code ;1});
 * a UDF bridge disc is listed by its UDF names (the UDF type comes first in the list), and by its ISO 9660 tree with
 * a warning ({@code udf: anchor … not found}) when its UDF anchor is gone. As a container ({@code IsoImage}) no
 * verb needs the volume descriptors or the boot catalog to read the bytes: damage there is a warning, so a bridge
 * disc with a damaged ISO 9660 half still lists its UDF tree, and errors in that tree say {@code udf:}. Multi-extent
 * files are joined
 * ({@code FileExtents}); interleaved files are listed but not copied; relocated directories appear where they belong.
 *
 * <h2>Limits</h2>
 * at most 64 volume descriptors; 64 MiB of records per directory; 32 continuation areas and 64 KiB of them per
 * record; trees walked at most 256 levels deep and 10 million entries, a directory met twice is an error; the boot
 * catalog at most 8 KiB.
 */
package org.disklens.content.iso;

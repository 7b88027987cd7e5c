/**
 * UDF (ECMA-167 with OSTA UDF 1.02 to 2.60), read-only, as on bridge discs and UDF-only media.
 *
 * <h2>Structures</h2>
 * The volume recognition sequence (an NSR02/NSR03 descriptor from 32 KiB on); the anchor volume descriptor pointer
 * at block 256 (blocks of 512 B to 4 KiB); the main volume descriptor sequence: primary volume (the volume set
 * identifier), partition (its start) and logical volume descriptors (label, the file set descriptor's place, partition
 * maps: a type 2 "*UDF Metadata Partition" map names the metadata file of UDF 2.50+); the file set descriptor (the
 * root's ICB); file entries and extended file entries (file type, size, modification time, short or long allocation
 * descriptors, or data embedded in the entry); file identifier descriptors (names in OSTA compressed Unicode).
 *
 * <h2>Limits</h2>
 * at most 256 descriptors per sequence; 64 MiB per directory; 65,536 extents per file; allocation descriptors continued
 * at most 64 times; symlink targets at most 4 KiB. A block outside the image is an error naming it.
 */
package org.disklens.content.udf;

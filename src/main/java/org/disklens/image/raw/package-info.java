/**
 * Raw images: the file is the disk. Probed last (it claims anything, with the lowest score, as qemu's probe does).
 * Its map is the file's own: holes ({@code SEEK_HOLE}) read as zeroes and are reported as zero runs at their host
 * offset, as qemu-img does.
 *
 * <h2>How DiskLens writes it</h2>
 * {@code RawWriter}: the source's exact size (qemu-img rounds up to 512 bytes), written by the conversion's workers
 * in parallel (positional writes need no order); zero runs of {@code -S} (rounded up to a power of two) stay holes
 * in a file given its full length up front. {@code preallocation}: off, falloc ({@code posix_fallocate}), full.
 * {@code measure} is qemu's {@code raw_measure}: the disk's size in whole sectors.
 */
package org.disklens.image.raw;

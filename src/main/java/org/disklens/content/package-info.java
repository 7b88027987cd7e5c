/**
 * What is inside a guest disk: volumes (the whole disk, partitions; later LVM logical volumes and LUKS volumes) and
 * the file systems in them. {@link org.disklens.content.DiskLayout} finds the volumes, every entry of
 * {@link org.disklens.content.FileSystemTypes} probes each one, and an opened
 * {@link org.disklens.content.FileSystem} lists one directory at a time and answers a file's bytes as mappings onto
 * its volume, read by the one {@link org.disklens.content.FileReader}. File-system packages do not depend on each
 * other ({@code ArchitectureTest}); shared pieces (text fields, the ISO/UDF recognition area, extent lists) are here.
 *
 * <h2>How to add a file system</h2>
 * <ol>
 *   <li>Make a package {@code content/<fs>/} with a {@link org.disklens.content.FileSystemType}: {@code probe} (its
 *       signature's facts as blkid gives them, never an exception for foreign bytes) and, when its files can be
 *       listed, {@code browsable()} and {@code open()}.</li>
 *   <li>Implement {@link org.disklens.content.FileSystem}: {@code list}, {@code map} (file bytes as
 *       {@code Data}/{@code Zero}/{@code Compressed} mappings), {@code warnings}, {@code freeRanges}; every on-disk
 *       structure a validated record, every loop and recursion bounded.</li>
 *   <li>Add it to the list in {@link org.disklens.content.FileSystemTypes}, in blkid's probing order.</li>
 *   <li>Put its agreement tests against the reference tools, hostile tests and fuzz test with seeds under the same
 *       package name in {@code src/test}; write its spec notes and limits in its {@code package-info.java}.</li>
 * </ol>
 */
package org.disklens.content;

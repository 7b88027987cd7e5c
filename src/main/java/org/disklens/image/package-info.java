/**
 * Container formats: the layer between positional reads ({@code io}) and what is inside a guest disk
 * ({@code content}). Generic code here and above asks only typed questions of a {@link org.disklens.image.DiskImage}
 * (mappings, sizes, backing reference, snapshots, bitmaps, feature flags, header fields, host-file regions, check);
 * everything particular to a format stays in its package, and nothing outside that package names its types
 * ({@code ArchitectureTest}).
 *
 * <h2>How to add a format</h2>
 * <ol>
 *   <li>Make a package {@code image/<format>/} with an {@link org.disklens.image.ImageFormat}: {@code probe} (by
 *       content, a score 0–100), {@code open} (a {@link org.disklens.image.DiskImage} answering
 *       {@link org.disklens.image.Mapping}s), and, if DiskLens writes it, {@code writer()}: a
 *       {@link org.disklens.image.FormatWriter} whose {@link org.disklens.image.TargetConfig} sizes the target and
 *       makes an {@link org.disklens.image.ImageWriter} fed with {@link org.disklens.image.WriteWindow}s.</li>
 *   <li>Give each on-disk structure a record that parses (validated, {@link org.disklens.image.Bounds}) and, when
 *       written, encodes; errors are {@link org.disklens.image.ImageException}s naming format, structure, offset.</li>
 *   <li>Answer the typed questions the format has answers to; write its spec notes and limits in its
 *       {@code package-info.java}.</li>
 *   <li>Add one line to {@code META-INF/services/org.disklens.image.ImageFormat} (probing order; a contents package
 *       may supply a format too, as {@code content.iso} does).</li>
 *   <li>Put its tests, golden images with the script that made them, and its fuzz test with seeds under the same
 *       package name in {@code src/test}.</li>
 * </ol>
 */
package org.disklens.image;

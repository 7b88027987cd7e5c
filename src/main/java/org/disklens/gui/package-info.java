/**
 * The desktop application (JavaFX 26, ControlsFX, Ikonli Material Design 2 icons, JFreeChart-FX).
 *
 * <h2>Structure (MVVM, ARCHITECTURE rule 11)</h2>
 * <ul>
 *   <li>{@code gui.model}: view models. They alone call the engine ({@code image}, {@code inspect}, and the
 *       conversion engine through {@link org.disklens.gui.model.ConversionService}); they expose read-only
 *       JavaFX properties and observable lists, and never touch nodes. {@code MainViewModel} holds the open
 *       images; each {@code ImageViewModel} opens its chain in the background into an {@code OpenedImage}
 *       (the chain plus facts read once) and hands it to its sections' view models.</li>
 *   <li>{@code gui.view}: views. They build nodes and bind them to view models; user actions call view-model
 *       methods. Colours come from {@code Palette} only, so a state has one colour in the map, the charts and
 *       the legends.</li>
 *   <li>{@code gui.task}: {@code TaskRunner}, the only way work leaves the FX thread. The app runs
 *       {@code javafx.concurrent.Task}s on daemon pools (inspection: 2 threads; conversions: 1 thread, so
 *       they queue; estimates: 1 thread). Tests use {@code SameThreadTaskRunner}.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Cancelling never interrupts a worker: an interrupt closes the {@code FileChannel} an image shares
 *       with other work. Work stops at its next {@code ProgressListener.checkCancelled()}.</li>
 *   <li>Results of superseded work (a reload, a zoom, a newer hover) are dropped by comparing the chain or a
 *       generation counter when they arrive, so a slow answer never overwrites a newer one.</li>
 *   <li>The allocation map and the file layout are bounded summaries ({@code inspect.AllocationSummary},
 *       at most 4,096 buckets; {@code inspect.HostLayout}, 160), so memory and drawing cost do not depend on
 *       the disk: a 16 TiB sparse image is as quick as a small one. A cell with any allocated byte is drawn
 *       at least half full, so a few KiB on a large disk stay visible; proportions hold within the fill.</li>
 *   <li>A hover says at once what the summary knows (the cell's range and composition) and then, in the
 *       background, the first runs there with their exact state and host offset ({@code AllocationMap.entryAt}).</li>
 *   <li>A broken backing link does not fail the open: the chain stops there and the graph shows the reason and
 *       the path that was looked for. Failures to open become one readable sentence in the image's tab.</li>
 *   <li>Every way of opening (arguments, File → Open, recent files, a drop, a second launch through
 *       {@code InstanceChannel}) calls {@code MainViewModel.open}; opening an open file reads it again.</li>
 *   <li>Screenshots in {@code screenshots/} are rendered by {@code ScreenshotGenerator} (test sources) from the
 *       sample images in {@code resources/samples}, headless.</li>
 * </ul>
 */
package org.disklens.gui;

package org.disklens.gui.view;

import javafx.scene.canvas.GraphicsContext;
import org.disklens.inspect.AllocationSummary;

/**
 * One slice of the disk drawn as a bar filled bottom-up with what its bytes are: each layer's data, then
 * compressed, then zero clusters. Any allocation fills at least {@link #MIN_VISIBLE} of the bar, so a few KiB
 * on a large disk stay visible; within that, the states keep their proportions. The map's cells and the
 * overview's strip both draw with it, so they always agree.
 */
final class StackedBar {
    static final double MIN_VISIBLE = 0.5;

    private StackedBar() {
    }

    /** Draws buckets {@code [firstBucket, lastBucket]} as a bar standing on {@code bottom}, at most {@code height} high. */
    static void draw(GraphicsContext g, AllocationSummary summary, int firstBucket, int lastBucket,
                     double x, double bottom, double width, double height) {
        int layers = summary.layers();
        long[] parts = new long[layers + 2];
        long total = 0;
        for (int bucket = firstBucket; bucket <= lastBucket; bucket++) {
            for (int depth = 0; depth < layers; depth++) {
                parts[depth] += summary.data(bucket, depth);
            }
            parts[layers] += summary.compressed(bucket);
            parts[layers + 1] += summary.zero(bucket);
            total += summary.bucketEnd(bucket) - summary.bucketStart(bucket);
        }
        long allocated = 0;
        for (long part : parts) {
            allocated += part;
        }
        if (allocated == 0) {
            return;
        }
        double filled = height * Math.max(MIN_VISIBLE, (double) allocated / total);
        for (int slot = 0; slot < parts.length; slot++) {
            if (parts[slot] > 0) {
                double h = filled * parts[slot] / allocated;
                g.setFill(slot < layers ? Palette.layer(slot) : slot == layers ? Palette.COMPRESSED : Palette.ZERO);
                g.fillRect(x, bottom - h, width, h);
                bottom -= h;
            }
        }
    }
}

package org.disklens.gui.view;

import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.disklens.inspect.AllocationSummary;

/**
 * One slice of the disk drawn as a bar filled bottom-up with what its bytes are: each layer's data, then what is
 * stored but free in the guest, compressed, zero clusters, and what could not be read. Unallocated space and the holes
 * of a raw file take no space and are left empty. Any allocation fills at least {@link #MIN_VISIBLE} of the bar, so a few KiB
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
        long[] parts = new long[layers + 4];
        Color[] colours = new Color[layers + 4];
        long total = 0;
        for (int bucket = firstBucket; bucket <= lastBucket; bucket++) {
            for (int depth = 0; depth < layers; depth++) {
                parts[depth] += summary.data(bucket, depth);
            }
            parts[layers] += summary.freeInGuest(bucket);
            parts[layers + 1] += summary.compressed(bucket);
            parts[layers + 2] += summary.zero(bucket);
            parts[layers + 3] += summary.unreadable(bucket);
            total += summary.bucketEnd(bucket) - summary.bucketStart(bucket);
        }
        for (int depth = 0; depth < layers; depth++) {
            colours[depth] = Palette.layer(depth);
        }
        colours[layers] = Palette.FREE_IN_GUEST;
        colours[layers + 1] = Palette.COMPRESSED;
        colours[layers + 2] = Palette.ZERO;
        colours[layers + 3] = Palette.UNREADABLE;
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
                g.setFill(colours[slot]);
                g.fillRect(x, bottom - h, width, h);
                bottom -= h;
            }
        }
    }
}

package org.disklens.gui.view;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import org.disklens.inspect.AllocationSummary;

/**
 * The whole disk as one band, left to right: each column a slice, filled bottom-up with what its bytes are
 * (any allocation drawn at least half high, like the map's cells). The overview's "at a glance".
 */
final class AllocationStrip extends Region {
    private static final double COLUMN = 3;
    private final Canvas canvas = new Canvas();
    private AllocationSummary summary;

    AllocationStrip() {
        getChildren().add(canvas);
        setMinHeight(34);
        setPrefHeight(34);
    }

    void setSummary(AllocationSummary summary) {
        this.summary = summary;
        draw();
    }

    @Override
    protected void layoutChildren() {
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            draw();
        }
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double width = canvas.getWidth();
        double height = canvas.getHeight();
        g.clearRect(0, 0, width, height);
        g.setFill(Palette.UNALLOCATED);
        g.fillRoundRect(0, 0, width, height, 6, 6);
        if (summary == null || width < COLUMN) {
            return;
        }
        int columns = (int) Math.min(summary.bucketCount(), width / COLUMN);
        double columnWidth = width / columns;
        for (int column = 0; column < columns; column++) {
            int first = (int) ((long) column * summary.bucketCount() / columns);
            int last = Math.max(first, (int) ((long) (column + 1) * summary.bucketCount() / columns) - 1);
            StackedBar.draw(g, summary, first, last, column * columnWidth, height, Math.max(1.5, columnWidth - 0.5), height);
        }
    }
}

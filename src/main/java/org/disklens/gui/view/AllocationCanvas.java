package org.disklens.gui.view;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.PartitionSpan;
import org.disklens.inspect.AllocationSummary;

/**
 * The allocation map: the visible guest range as a grid of cells read left to right, top to bottom, each
 * cell a slice of the disk coloured by what its bytes are. A cell with any allocated bytes shows them as at
 * least half its height, so a few KiB of data on a 10 GiB disk stay visible; within that, the states
 * keep their proportions. Partitions are drawn as a strip over the cells they cover.
 */
public final class AllocationCanvas extends Region {
    static final double CELL = 13;
    static final double GAP = 2;
    static final double GUTTER = 74;
    static final double PAD = 6;

    private final Canvas canvas = new Canvas();
    private AllocationSummary summary;
    private List<PartitionSpan> partitions = List.of();
    private List<PartitionSpan> highlighted = List.of();
    private int columns;
    private int rows;
    private int cells;
    private int hovered = -1;
    private BiConsumer<Long, Long> onHover = (start, end) -> {
    };
    private Runnable onExit = () -> {
    };
    private LongConsumer onZoomIn = offset -> {
    };
    private Runnable onZoomOut = () -> {
    };
    private java.util.function.IntConsumer onCellsShown = cells -> {
    };

    public AllocationCanvas() {
        getChildren().add(canvas);
        getStyleClass().add("allocation-canvas");
        setMinSize(200, 120);
        setPrefSize(720, 420);
        canvas.setOnMouseMoved(this::moved);
        canvas.setOnMouseExited(event -> {
            hovered = -1;
            draw();
            onExit.run();
        });
        canvas.setOnMouseClicked(event -> {
            int cell = cellAt(event.getX(), event.getY());
            if (event.getButton() == MouseButton.PRIMARY && event.getClickCount() == 2 && cell >= 0) {
                onZoomIn.accept(middleOf(cell));
            } else if (event.getButton() == MouseButton.SECONDARY) {
                onZoomOut.run();
            }
        });
        canvas.setOnScroll(this::scrolled);
    }

    public void setSummary(AllocationSummary summary) {
        this.summary = summary;
        hovered = -1;
        layoutGrid();
        draw();
    }

    public void setPartitions(List<PartitionSpan> partitions) {
        this.partitions = List.copyOf(partitions);
        draw();
    }

    /** Guest runs to mark (in guest order): where a selected file lives. */
    public void setHighlighted(List<PartitionSpan> runs) {
        this.highlighted = List.copyOf(runs);
        draw();
    }

    /** Called with a cell's guest range when the pointer moves onto it. */
    public void setOnHover(BiConsumer<Long, Long> onHover) {
        this.onHover = onHover;
    }

    public void setOnExit(Runnable onExit) {
        this.onExit = onExit;
    }

    /** Double-click or scroll up: zoom in around a guest offset. */
    public void setOnZoomIn(LongConsumer onZoomIn) {
        this.onZoomIn = onZoomIn;
    }

    /** Called with the number of cells drawn whenever it changes (the map's subtitle says their size). */
    public void setOnCellsShown(java.util.function.IntConsumer onCellsShown) {
        this.onCellsShown = onCellsShown;
    }

    /** Right-click or scroll down. */
    public void setOnZoomOut(Runnable onZoomOut) {
        this.onZoomOut = onZoomOut;
    }

    @Override
    protected void layoutChildren() {
        double width = snapSizeX(getWidth());
        double height = snapSizeY(getHeight());
        if (canvas.getWidth() != width || canvas.getHeight() != height) {
            canvas.setWidth(width);
            canvas.setHeight(height);
            layoutGrid();
            draw();
        }
    }

    // ---- geometry ----

    private void layoutGrid() {
        double width = canvas.getWidth() - GUTTER - 2 * PAD;
        double height = canvas.getHeight() - 2 * PAD;
        int maxColumns = Math.max(1, (int) ((width + GAP) / (CELL + GAP)));
        int maxRows = Math.max(1, (int) ((height + GAP) / (CELL + GAP)));
        int buckets = summary == null ? 0 : summary.bucketCount();
        columns = maxColumns;
        int before = cells;
        cells = Math.min(buckets, maxColumns * maxRows);
        rows = cells == 0 ? 0 : (cells + columns - 1) / columns;
        if (cells != before && cells > 0) {
            onCellsShown.accept(cells);
        }
    }

    /** Number of cells drawn (at most one per bucket). */
    public int cellCount() {
        return cells;
    }

    int firstBucket(int cell) {
        return (int) ((long) cell * summary.bucketCount() / cells);
    }

    int lastBucket(int cell) {
        return Math.max(firstBucket(cell), (int) ((long) (cell + 1) * summary.bucketCount() / cells) - 1);
    }

    long cellStart(int cell) {
        return summary.bucketStart(firstBucket(cell));
    }

    long cellEnd(int cell) {
        return summary.bucketEnd(lastBucket(cell));
    }

    private long middleOf(int cell) {
        return cellStart(cell) + (cellEnd(cell) - cellStart(cell)) / 2;
    }

    /** The cell under a point, or -1. */
    int cellAt(double x, double y) {
        if (summary == null || cells == 0) {
            return -1;
        }
        double left = x - GUTTER - PAD;
        double top = y - PAD;
        if (left < 0 || top < 0) {
            return -1;
        }
        int column = (int) (left / (CELL + GAP));
        int row = (int) (top / (CELL + GAP));
        if (column >= columns || row >= rows) {
            return -1;
        }
        int cell = row * columns + column;
        return cell < cells ? cell : -1;
    }

    /** The centre of a cell in this region's coordinates (for tests and tooltips). */
    public double[] centreOf(int cell) {
        int row = cell / columns;
        int column = cell % columns;
        return new double[] {GUTTER + PAD + column * (CELL + GAP) + CELL / 2, PAD + row * (CELL + GAP) + CELL / 2};
    }

    /** The first cell whose slice holds anything but unallocated space and holes, or -1. */
    public int firstAllocatedCell() {
        for (int cell = 0; cell < cells; cell++) {
            if (allocatedIn(cell) > 0) {
                return cell;
            }
        }
        return -1;
    }

    private long allocatedIn(int cell) {
        long allocated = 0;
        for (int bucket = firstBucket(cell); bucket <= lastBucket(cell); bucket++) {
            allocated += summary.allocated(bucket);
        }
        return allocated;
    }

    // ---- events ----

    private void moved(MouseEvent event) {
        int cell = cellAt(event.getX(), event.getY());
        if (cell == hovered) {
            return;
        }
        hovered = cell;
        draw();
        if (cell >= 0) {
            onHover.accept(cellStart(cell), cellEnd(cell));
        } else {
            onExit.run();
        }
    }

    private void scrolled(ScrollEvent event) {
        int cell = cellAt(event.getX(), event.getY());
        if (event.getDeltaY() > 0 && cell >= 0) {
            onZoomIn.accept(middleOf(cell));
        } else if (event.getDeltaY() < 0) {
            onZoomOut.run();
        }
    }

    // ---- drawing ----

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, canvas.getWidth(), canvas.getHeight());
        if (summary == null || cells == 0) {
            return;
        }
        g.setFont(Font.font(11));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        for (int row = 0; row < rows; row++) {
            if (row % 4 == 0) {
                double y = PAD + row * (CELL + GAP) + CELL / 2;
                g.setFill(Palette.MUTED_TEXT);
                g.fillText(Formats.offset(cellStart(row * columns), summary.end()), GUTTER - 4, y);
            }
        }
        for (int cell = 0; cell < cells; cell++) {
            drawCell(g, cell);
        }
    }

    private void drawCell(GraphicsContext g, int cell) {
        double[] centre = centreOf(cell);
        double x = centre[0] - CELL / 2;
        double y = centre[1] - CELL / 2;
        g.setFill(Palette.UNALLOCATED);
        g.fillRoundRect(x, y, CELL, CELL, 3, 3);
        StackedBar.draw(g, summary, firstBucket(cell), lastBucket(cell), x, y + CELL, CELL, CELL);
        drawPartitionStrip(g, cell, x, y);
        if (isHighlighted(cellStart(cell), cellEnd(cell))) {
            g.setStroke(Palette.HIGHLIGHT);
            g.setLineWidth(2);
            g.strokeRoundRect(x + 1, y + 1, CELL - 2, CELL - 2, 3, 3);
        }
        if (cell == hovered) {
            g.setStroke(Palette.HOVER);
            g.setLineWidth(1.5);
            g.strokeRoundRect(x - 1, y - 1, CELL + 2, CELL + 2, 4, 4);
        }
    }

    /** Whether any marked run overlaps {@code [start, end)}: a binary search over runs in guest order. */
    private boolean isHighlighted(long start, long end) {
        int low = 0;
        int high = highlighted.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            PartitionSpan run = highlighted.get(middle);
            if (run.end() <= start) {
                low = middle + 1;
            } else if (run.start() >= end) {
                high = middle - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private void drawPartitionStrip(GraphicsContext g, int cell, double x, double y) {
        long start = cellStart(cell);
        long end = cellEnd(cell);
        for (int index = 0; index < partitions.size(); index++) {
            PartitionSpan span = partitions.get(index);
            if (span.start() < end && span.end() > start) {
                Color colour = Palette.partition(index);
                g.setFill(colour);
                g.fillRect(x, y, CELL, 3);
            }
        }
    }
}

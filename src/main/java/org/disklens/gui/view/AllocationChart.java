package org.disklens.gui.view;

import java.awt.Paint;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.paint.Color;
import org.disklens.inspect.AllocationSummary;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.disklens.image.Units;

/**
 * Bytes per state of the visible range as horizontal bars on a logarithmic axis: a thin disk's few KiB of
 * data and its many GiB of unallocated space fit on one chart.
 */
final class AllocationChart {
    private final DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    private final List<Color> colours = new ArrayList<>();
    private final JFreeChart chart;
    private final ChartViewer viewer;
    private final LogAxis axis = new LogAxis();

    AllocationChart() {
        CategoryAxis categories = new CategoryAxis();
        categories.setTickLabelFont(Charts.LABEL);
        categories.setTickLabelPaint(Palette.awt(Palette.TEXT));
        categories.setAxisLineVisible(false);
        categories.setTickMarksVisible(false);
        // "Free in the guest · 7.63 MiB" shows whole: the labels take up to 55 % of the width, then a second line.
        categories.setMaximumCategoryLabelWidthRatio(0.55f);
        categories.setMaximumCategoryLabelLines(2);
        axis.setBase(1024);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setNumberFormatOverride(new SizeFormat());
        axis.setTickLabelFont(Charts.SMALL);
        axis.setTickLabelPaint(Palette.awt(Palette.MUTED_TEXT));
        axis.setSmallestValue(512);
        axis.setMinorTickMarksVisible(false);
        axis.setAxisLineVisible(false);
        BarRenderer renderer = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return column < colours.size() ? Palette.awt(colours.get(column)) : super.getItemPaint(row, column);
            }
        };
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setMaximumBarWidth(0.16);
        renderer.setItemMargin(0);
        CategoryPlot plot = new CategoryPlot(dataset, categories, axis, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeGridlinePaint(Palette.awt(Palette.GRID_LINE));
        plot.setRangeGridlineStroke(Charts.gridStroke());
        plot.setDomainGridlinesVisible(false);
        chart = Charts.style(new JFreeChart("Bytes per state", Charts.TITLE, plot, false));
        viewer = Charts.viewer(chart);
    }

    ChartViewer node() {
        return viewer;
    }

    JFreeChart chart() {
        return chart;
    }

    void show(AllocationSummary summary, List<String> layerNames) {
        dataset.clear();
        colours.clear();
        if (summary == null) {
            return;
        }
        for (int depth = 0; depth < summary.layers(); depth++) {
            String name = depth < layerNames.size() ? shorten(layerNames.get(depth))
                    : depth == 0 ? "This image" : "Backing " + depth;
            add(name, summary.totalData(depth), Palette.layer(depth));
        }
        add("Free in the guest", summary.totalFreeInGuest(), Palette.FREE_IN_GUEST);
        add("Compressed", summary.totalCompressed(), Palette.COMPRESSED);
        add("Zero", summary.totalZero(), Palette.ZERO);
        if (summary.totalNotStored() > 0) {
            add("Not stored", summary.totalNotStored(), Palette.UNALLOCATED.darker());
        }
        add("Unallocated", summary.totalUnallocated(), Palette.UNALLOCATED.darker());
        if (summary.totalUnreadable() > 0) {
            add("Unreadable", summary.totalUnreadable(), Palette.UNREADABLE);
        }
        axis.setRange(512, Math.max(2048, (summary.end() - summary.start()) * 4.0));
    }

    /** One bar, its size in its label: "Zero · 320 KiB". */
    private void add(String name, long bytes, Color colour) {
        colours.add(colour);
        name = name + " · " + Units.size(bytes);
        // A log axis has no zero: an empty state is drawn as nothing, but keeps its row.
        dataset.addValue(bytes > 0 ? Double.valueOf(bytes) : null, "bytes", name);
    }

    private static String shorten(String name) {
        return name.length() <= 18 ? name : name.substring(0, 16) + "…";
    }
}

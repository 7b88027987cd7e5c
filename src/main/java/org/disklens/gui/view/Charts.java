package org.disklens.gui.view;

import java.awt.BasicStroke;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

/** The house style of every JFreeChart in the app: white, quiet grid lines, the palette's text colours. */
final class Charts {
    static final String FONT = "DejaVu Sans";
    static final Font TITLE = new Font(FONT, Font.BOLD, 13);
    static final Font LABEL = new Font(FONT, Font.PLAIN, 11);
    static final Font SMALL = new Font(FONT, Font.PLAIN, 10);

    private Charts() {
    }

    static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(6, 6, 6, 6));
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE);
            title.setPaint(Palette.awt(Palette.TEXT));
            title.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setOutlineVisible(false);
        return chart;
    }

    static BasicStroke gridStroke() {
        return new BasicStroke(0.6f);
    }

    /** A viewer without JFreeChart's own zoom and context menu: our views zoom through their view models. */
    static ChartViewer viewer(JFreeChart chart) {
        ChartViewer viewer = new ChartViewer(chart, false);
        viewer.setMinSize(200, 160);
        viewer.getStyleClass().add("chart");
        return viewer;
    }
}

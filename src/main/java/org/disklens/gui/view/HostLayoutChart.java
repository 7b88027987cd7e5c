package org.disklens.gui.view;

import java.util.Map;
import org.disklens.image.HostRegion;
import org.disklens.inspect.HostLayout;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.RingPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.general.DefaultPieDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.disklens.image.Units;

/**
 * The host file drawn from its first byte to its last: stacked bars of what each slice of the file holds,
 * and a ring of the totals per use.
 */
final class HostLayoutChart {
    private final DefaultTableXYDataset dataset = new DefaultTableXYDataset();
    private final DefaultPieDataset<String> totals = new DefaultPieDataset<>();
    private final StackedXYBarRenderer renderer = new StackedXYBarRenderer();
    private final NumberAxis offsets = new NumberAxis("Offset in the file");
    private final NumberAxis bytes = new NumberAxis();
    private final RingPlot ring = new RingPlot(totals);
    private final JFreeChart layoutChart;
    private final JFreeChart ringChart;
    private final ChartViewer layoutViewer;
    private final ChartViewer ringViewer;

    HostLayoutChart() {
        offsets.setStandardTickUnits(SizeFormat.binaryTickUnits());
        offsets.setLabelFont(Charts.LABEL);
        offsets.setTickLabelFont(Charts.SMALL);
        offsets.setLabelPaint(Palette.awt(Palette.MUTED_TEXT));
        bytes.setNumberFormatOverride(new SizeFormat());
        bytes.setTickLabelFont(Charts.SMALL);
        bytes.setVisible(false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setMargin(0);
        XYPlot plot = new XYPlot(dataset, offsets, bytes, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        layoutChart = Charts.style(new JFreeChart("What each part of the file holds", Charts.TITLE, plot, true));
        LegendTitle legend = layoutChart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);

        ring.setSectionDepth(0.38);
        ring.setSeparatorsVisible(false);
        ring.setShadowPaint(null);
        ring.setLabelFont(Charts.SMALL);
        ring.setLabelBackgroundPaint(java.awt.Color.WHITE);
        ring.setLabelOutlinePaint(null);
        ring.setLabelShadowPaint(null);
        ring.setLabelGenerator(null);
        ring.setInteriorGap(0.04);
        ring.setCenterTextMode(org.jfree.chart.plot.CenterTextMode.FIXED);
        ring.setCenterTextFont(Charts.TITLE);
        ring.setCenterTextColor(Palette.awt(Palette.TEXT));
        ringChart = Charts.style(new JFreeChart(null, Charts.TITLE, ring, false));
        layoutViewer = Charts.viewer(layoutChart);
        ringViewer = Charts.viewer(ringChart);
    }

    ChartViewer layoutNode() {
        return layoutViewer;
    }

    ChartViewer ringNode() {
        return ringViewer;
    }

    JFreeChart layoutChart() {
        return layoutChart;
    }

    JFreeChart ringChart() {
        return ringChart;
    }

    void show(HostLayout layout) {
        dataset.removeAllSeries();
        totals.clear();
        if (layout == null) {
            return;
        }
        Map<HostRegion, Long> present = layout.totals();
        int index = 0;
        for (HostRegion use : present.keySet()) {
            XYSeries series = new XYSeries(use.label(), false, false);
            for (int bucket = 0; bucket < layout.bucketCount(); bucket++) {
                series.add((double) layout.bucketStart(bucket), (double) layout.bytes(bucket, use));
            }
            dataset.addSeries(series);
            renderer.setSeriesPaint(index++, Palette.awt(Palette.host(use)));
        }
        dataset.setIntervalPositionFactor(0);
        dataset.setIntervalWidth(layout.bucketSize());
        bytes.setRange(0, layout.bucketSize());
        offsets.setRange(0, Math.max(1, layout.fileSize()));
        for (Map.Entry<HostRegion, Long> entry : present.entrySet()) {
            totals.setValue(entry.getKey().label(), entry.getValue());
            ring.setSectionPaint(entry.getKey().label(), Palette.awt(Palette.host(entry.getKey())));
        }
        ring.setCenterText(Units.size(layout.fileSize()));
    }
}

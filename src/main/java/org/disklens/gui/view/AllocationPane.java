package org.disklens.gui.view;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.AllocationViewModel;
import org.disklens.gui.model.GuestState;
import org.disklens.gui.model.PartitionSpan;
import org.disklens.gui.task.Job;
import org.disklens.inspect.AllocationSummary;

/**
 * The allocation map section: the zoomable grid, what is under the pointer, the legend, and the chart of
 * bytes per state for what is shown.
 */
final class AllocationPane extends BorderPane {
    private final AllocationViewModel model;
    private final AllocationCanvas canvas = new AllocationCanvas();
    private final AllocationChart chart = new AllocationChart();
    private final FlowPane legend = new FlowPane(14, 6);

    AllocationPane(AllocationViewModel model) {
        this.model = model;
        canvas.setId("allocation-canvas");
        canvas.setOnHover(model::hover);
        canvas.setOnExit(model::clearHover);
        canvas.setOnZoomIn(model::zoomIn);
        canvas.setOnZoomOut(model::zoomOut);
        model.visibleProperty().addListener((observable, old, summary) -> show(summary));
        model.partitions().addListener((ListChangeListener<PartitionSpan>) change -> {
            canvas.setPartitions(model.partitions());
            updateLegend(model.visibleProperty().get());
        });
        model.highlighted().addListener((ListChangeListener<PartitionSpan>) change -> canvas.setHighlighted(model.highlighted()));
        // The section is built when first shown, after the image has opened: take what is known already.
        canvas.setPartitions(model.partitions());
        canvas.setHighlighted(model.highlighted());
        canvas.setOnCellsShown(model::cellsShown);
        model.layerNames().addListener((ListChangeListener<String>) change -> updateLegend(model.visibleProperty().get()));

        Label range = Views.label("", "section-subtitle");
        range.setId("allocation-range");
        range.textProperty().bind(model.rangeTextProperty());
        Button zoomOut = new Button("Zoom out", Views.icon("mdi2m-magnify-minus-outline"));
        zoomOut.setOnAction(event -> model.zoomOut());
        zoomOut.disableProperty().bind(model.zoomedProperty().not());
        Button whole = new Button("Whole disk", Views.icon("mdi2a-arrow-expand-all"));
        whole.setId("allocation-whole-disk");
        whole.setOnAction(event -> model.showWholeDisk());
        whole.disableProperty().bind(model.zoomedProperty().not());
        ProgressBar progress = new ProgressBar();
        progress.setPrefWidth(140);
        bindProgress(progress);
        HBox tools = Views.row(8, Views.heading("Allocation map", range), Views.grow(), progress, zoomOut, whole);

        Label hoverTitle = Views.label("Point at the map to see what is there. Double-click or scroll to zoom in, "
                + "right-click to zoom out.", "hover-title");
        hoverTitle.setId("hover-text");
        hoverTitle.textProperty().bind(Bindings.when(model.hoverTextProperty().isEmpty())
                .then("Point at the map to see what is there. Double-click or scroll to zoom in, right-click to zoom out.")
                .otherwise(model.hoverTextProperty()));
        Label hoverDetail = Views.label("", "mono");
        hoverDetail.setId("hover-detail");
        hoverDetail.textProperty().bind(model.hoverDetailProperty());
        VBox hoverBox = new VBox(hoverTitle, hoverDetail);
        hoverBox.getStyleClass().add("hover-box");

        Label problem = Views.label("", "problem-text");
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        hoverTitle.setWrapText(true);
        hoverDetail.setWrapText(true);
        HBox.setHgrow(hoverBox, Priority.ALWAYS);
        hoverBox.setPrefWidth(420);
        hoverBox.setMinHeight(120);

        VBox mapCard = Views.card(null, canvas, legend);
        VBox.setVgrow(canvas, Priority.ALWAYS);
        VBox.setVgrow(mapCard, Priority.ALWAYS);
        VBox chartCard = Views.card(null, chart.node());
        chart.node().setPrefSize(400, 210);
        chartCard.setMinWidth(360);
        HBox below = new HBox(14, hoverBox, chartCard);
        for (javafx.scene.Node button : List.of(zoomOut, whole)) {
            ((Button) button).setMinWidth(Region.USE_PREF_SIZE);
        }
        VBox centre = new VBox(12, tools, problem, mapCard, below);
        centre.getStyleClass().add("section");
        setCenter(centre);
        show(model.visibleProperty().get());
    }

    private void bindProgress(ProgressBar bar) {
        Runnable update = () -> {
            Job job = model.jobProperty().get();
            bar.progressProperty().unbind();
            if (job == null) {
                bar.setVisible(false);
                return;
            }
            bar.progressProperty().bind(job.progressProperty());
            bar.visibleProperty().bind(job.stateProperty().isEqualTo(Job.State.RUNNING));
        };
        model.jobProperty().addListener((observable, old, job) -> update.run());
        update.run();
    }

    private void show(AllocationSummary summary) {
        canvas.setSummary(summary);
        chart.show(summary, List.copyOf(model.layerNames()));
        updateLegend(summary);
    }

    private void updateLegend(AllocationSummary summary) {
        legend.getChildren().clear();
        int layers = summary == null ? model.layerNames().size() : summary.layers();
        for (int depth = 0; depth < layers; depth++) {
            String name = depth < model.layerNames().size() ? model.layerNames().get(depth) : "";
            legend.getChildren().add(Views.legendItem(Palette.layer(depth),
                    (depth == 0 ? "Data in this image" : "Data in backing layer " + depth)
                            + (name.isEmpty() ? "" : " (" + name + ")")));
        }
        legend.getChildren().addAll(legendItem(GuestState.FREE_IN_GUEST), legendItem(GuestState.COMPRESSED),
                legendItem(GuestState.ZERO), Views.legendItem(Palette.UNALLOCATED, "Unallocated or not stored"));
        if (summary != null && summary.totalUnreadable() > 0) {
            legend.getChildren().add(legendItem(GuestState.UNREADABLE));
        }
        List<PartitionSpan> partitions = model.partitions();
        for (int index = 0; index < partitions.size(); index++) {
            legend.getChildren().add(Views.legendItem(Palette.partition(index), partitions.get(index).label()));
        }
    }

    private static javafx.scene.Node legendItem(GuestState state) {
        return Views.legendItem(Palette.state(state), state.label());
    }

    AllocationCanvas canvas() {
        return canvas;
    }
}

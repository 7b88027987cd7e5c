package org.disklens.gui.view;

import javafx.collections.ListChangeListener;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import java.util.Map;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.disklens.gui.model.Formats;
import org.disklens.image.HostRegion;
import org.disklens.inspect.HostLayout;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.HostLayoutViewModel;
import org.disklens.gui.task.Job;
import org.disklens.image.Units;

/** The host-file layout section: why the file is bigger than its data, as a sentence and two charts. */
final class HostLayoutPane extends VBox {

    HostLayoutPane(HostLayoutViewModel model) {
        HostLayoutChart charts = new HostLayoutChart();
        GridPane totals = new GridPane();
        totals.setId("host-totals");
        totals.setHgap(12);
        totals.setVgap(5);
        javafx.scene.layout.ColumnConstraints name = new javafx.scene.layout.ColumnConstraints();
        name.setHgrow(Priority.ALWAYS);
        javafx.scene.layout.ColumnConstraints number = new javafx.scene.layout.ColumnConstraints();
        number.setMinWidth(Region.USE_PREF_SIZE);
        number.setHalignment(javafx.geometry.HPos.RIGHT);
        totals.getColumnConstraints().setAll(name, number, number);
        model.layoutProperty().addListener((observable, old, layout) -> {
            charts.show(layout);
            showTotals(totals, layout);
        });
        charts.show(model.layoutProperty().get());
        showTotals(totals, model.layoutProperty().get());

        ComboBox<String> layers = new ComboBox<>(model.layerNames());
        layers.setId("host-layer");
        layers.setMinWidth(Region.USE_PREF_SIZE);
        model.layoutProperty().addListener((observable, old, layout) ->
                layers.getSelectionModel().select(model.layerProperty().get()));
        layers.getSelectionModel().select(model.layerProperty().get());
        layers.setOnAction(event -> {
            int index = layers.getSelectionModel().getSelectedIndex();
            if (index >= 0 && index != model.layerProperty().get()) {
                model.showLayer(index);
            }
        });
        ProgressBar progress = new ProgressBar();
        progress.setPrefWidth(140);
        model.jobProperty().addListener((observable, old, job) -> {
            progress.progressProperty().unbind();
            progress.progressProperty().bind(job.progressProperty());
            progress.visibleProperty().bind(job.stateProperty().isEqualTo(Job.State.RUNNING));
        });
        progress.setVisible(false);

        Label explanation = Views.label("", "section-subtitle");
        explanation.setId("host-explanation");
        explanation.setWrapText(true);
        explanation.textProperty().bind(model.explanationProperty());
        Label problem = Views.label("", "problem-text");
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        Label fileOf = Views.label("File of", "muted");
        fileOf.setMinWidth(Region.USE_PREF_SIZE);
        HBox tools = Views.row(8, Views.heading("File layout", explanation), Views.grow(), progress, fileOf, layers);
        HBox.setHgrow(tools.getChildren().getFirst(), Priority.ALWAYS);

        VBox layoutCard = Views.card(null, charts.layoutNode());
        VBox ringCard = Views.card("Totals", charts.ringNode(), totals);
        VBox.setVgrow(charts.layoutNode(), Priority.ALWAYS);
        charts.layoutNode().setId("host-layout-chart");
        charts.layoutNode().setPrefSize(600, 360);
        charts.ringNode().setPrefSize(220, 200);
        charts.ringNode().setMinHeight(180);
        ringCard.setMinWidth(300);
        ringCard.setPrefWidth(320);
        HBox.setHgrow(layoutCard, Priority.ALWAYS);
        HBox chartsRow = new HBox(14, layoutCard, ringCard);
        VBox.setVgrow(chartsRow, Priority.ALWAYS);
        getChildren().addAll(tools, problem, chartsRow);
        getStyleClass().add("section");
    }

    /** One row per use: colour, name, size and share of the file. */
    private static void showTotals(GridPane grid, HostLayout layout) {
        grid.getChildren().clear();
        if (layout == null) {
            return;
        }
        int row = 0;
        for (Map.Entry<HostRegion, Long> entry : layout.totals().entrySet()) {
            Label size = Views.label(Units.size(entry.getValue()), "fact-value");
            Label share = Views.label(Units.percent(entry.getValue(), layout.fileSize()), "muted");
            size.setMinWidth(Region.USE_PREF_SIZE);
            share.setMinWidth(Region.USE_PREF_SIZE);
            HBox name = Views.legendItem(Palette.host(entry.getKey()), entry.getKey().label());
            // "Snapshots' L1/L2 tables" in a narrow card: the name wraps, never cut short.
            name.getChildren().stream().filter(Label.class::isInstance).map(Label.class::cast)
                    .forEach(label -> label.setWrapText(true));
            grid.addRow(row++, name, size, share);
        }
    }
}

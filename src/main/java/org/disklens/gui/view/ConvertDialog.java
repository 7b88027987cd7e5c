package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.ConversionRequest;

/**
 * Convert…: pick a preset, choose whether to shrink, see the estimated size, choose where; Start queues it. The
 * labels' column is as wide as its longest label, whatever the preset's name, so no label is ever cut short; a file
 * already at the target is replaced only once "Replace it" is ticked (a save dialog asks the same itself).
 */
final class ConvertDialog extends Dialog<ConversionRequest> {
    static final ButtonType START = new ButtonType("Start", ButtonBar.ButtonData.OK_DONE);

    ConvertDialog(Window owner, ConversionRequest request) {
        initOwner(owner);
        setTitle("Convert " + request.source().getFileName());
        setHeaderText("Convert " + request.source().getFileName());
        ComboBox<ConversionPreset> presets = new ComboBox<>(request.presets());
        presets.setId("convert-preset");
        presets.valueProperty().bindBidirectional(request.presetProperty());
        presets.setMaxWidth(Double.MAX_VALUE);
        Label description = Views.label("", "muted");
        description.setWrapText(true);
        description.textProperty().bind(request.presetProperty().map(ConversionPreset::description));
        Label estimate = Views.label("");
        estimate.setId("convert-estimate");
        estimate.setWrapText(true);
        estimate.textProperty().bind(request.estimateProperty());

        CheckBox shrink = new CheckBox("Shrink (drop space the guest has freed)");
        shrink.setId("convert-shrink");
        shrink.selectedProperty().bindBidirectional(request.shrinkProperty());
        shrink.setMinWidth(Region.USE_PREF_SIZE);
        Label saved = Views.label("", "muted");
        saved.setId("convert-shrink-estimate");
        saved.textProperty().bind(request.shrinkEstimateProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setMinWidth(360);
        grid.getColumnConstraints().setAll(labels, fields);
        grid.addRow(0, label("Preset"), presets);
        grid.add(description, 1, 1);
        grid.addRow(2, label("Free space"), new HBox(10, shrink, saved));
        grid.addRow(3, label("Estimated size"), estimate);
        grid.addRow(4, label("Save as"), targetRow(owner, request));
        grid.add(replaceRow(request), 1, 5);
        getDialogPane().setContent(grid);
        getDialogPane().setMinWidth(Region.USE_PREF_SIZE);
        getDialogPane().getButtonTypes().setAll(START, ButtonType.CANCEL);
        Node start = getDialogPane().lookupButton(START);
        start.disableProperty().bind(request.readyProperty().not());
        getDialogPane().getStylesheets().addAll(owner == null ? java.util.List.of()
                : owner.getScene().getStylesheets());
        setResultConverter(button -> button == START && request.isReady() ? request : null);
        // The window is sized once, when shown; what arrives later (the estimates, "already exists") may need more
        // room: the window grows to its content, so nothing is cut and Start never falls outside it.
        getDialogPane().needsLayoutProperty().addListener((observable, was, needs) -> {
            if (!needs) {
                growToContent();
            }
        });
    }

    private double fittedWidth;
    private double fittedHeight;

    private void growToContent() {
        javafx.scene.control.DialogPane pane = getDialogPane();
        if (!isShowing() || pane.getScene() == null || pane.getScene().getWindow() == null) {
            return;
        }
        double width = pane.prefWidth(-1);
        double height = pane.prefHeight(Math.max(width, pane.getWidth()));
        boolean wider = width > pane.getWidth() + 0.5 && width > fittedWidth + 0.5;
        boolean taller = height > pane.getHeight() + 0.5 && height > fittedHeight + 0.5;
        if (wider || taller) {
            fittedWidth = Math.max(fittedWidth, width);
            fittedHeight = Math.max(fittedHeight, height);
            javafx.application.Platform.runLater(() -> pane.getScene().getWindow().sizeToScene());
        }
    }

    private static Label label(String text) {
        Label label = new Label(text);
        label.setMinWidth(Region.USE_PREF_SIZE);
        return label;
    }

    private static HBox targetRow(Window owner, ConversionRequest request) {
        TextField target = new TextField();
        target.setId("convert-target-path");
        target.setPrefColumnCount(34);
        request.targetProperty().addListener((observable, old, path) -> {
            String text = path == null ? "" : path.toString();
            if (!target.getText().equals(text)) {
                target.setText(text);
            }
        });
        target.setText(request.targetProperty().get() == null ? "" : request.targetProperty().get().toString());
        target.textProperty().addListener((observable, old, text) -> {
            if (!text.isBlank()) {
                request.targetProperty().set(Path.of(text));
            }
        });
        Button choose = new Button("Choose…");
        choose.setMinWidth(Region.USE_PREF_SIZE);
        choose.setOnAction(event -> chooseTarget(owner, request).ifPresent(path -> {
            request.targetProperty().set(path);
            // The save dialog has asked "Replace?" itself before returning a file that exists.
            request.replaceProperty().set(request.targetExistsProperty().get());
        }));
        HBox.setHgrow(target, Priority.ALWAYS);
        return new HBox(8, target, choose);
    }

    /** "disk.img already exists. [ ] Replace it": shown while the target exists. */
    private static HBox replaceRow(ConversionRequest request) {
        Label exists = Views.label("", "warning-text");
        exists.textProperty().bind(request.targetProperty().map(path -> path.getFileName() + " already exists."));
        CheckBox replace = new CheckBox("Replace it");
        replace.setId("convert-replace");
        exists.setMinWidth(Region.USE_PREF_SIZE);
        replace.setMinWidth(Region.USE_PREF_SIZE);
        replace.selectedProperty().bindBidirectional(request.replaceProperty());
        HBox row = new HBox(10, exists, replace);
        row.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        row.visibleProperty().bind(request.targetExistsProperty());
        row.managedProperty().bind(row.visibleProperty());
        return row;
    }

    private static Optional<Path> chooseTarget(Window owner, ConversionRequest request) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the converted image as");
        Path suggested = request.targetProperty().get();
        if (suggested != null) {
            chooser.setInitialDirectory(suggested.getParent().toFile());
            chooser.setInitialFileName(suggested.getFileName().toString());
        }
        File chosen = chooser.showSaveDialog(owner);
        return Optional.ofNullable(chosen).map(File::toPath);
    }
}

package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.ConversionRequest;

/** Convert…: pick a preset, see the estimated size, choose where; Start queues it. */
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
        estimate.textProperty().bind(request.estimateProperty());
        TextField target = new TextField();
        target.setId("convert-target-path");
        target.setPrefColumnCount(34);
        request.targetProperty().addListener((observable, old, path) -> target.setText(path == null ? "" : path.toString()));
        target.setText(request.targetProperty().get() == null ? "" : request.targetProperty().get().toString());
        target.textProperty().addListener((observable, old, text) -> {
            if (!text.isBlank()) {
                request.targetProperty().set(Path.of(text));
            }
        });
        Button choose = new Button("Choose…");
        choose.setOnAction(event -> chooseTarget(owner, request).ifPresent(path -> request.targetProperty().set(path)));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.addRow(0, new Label("Preset"), presets);
        grid.add(description, 1, 1);
        grid.addRow(2, new Label("Estimated size"), estimate);
        grid.addRow(3, new Label("Save as"), target, choose);
        GridPane.setHgrow(presets, Priority.ALWAYS);
        GridPane.setHgrow(target, Priority.ALWAYS);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(START, ButtonType.CANCEL);
        getDialogPane().getStylesheets().addAll(owner == null ? java.util.List.of()
                : owner.getScene().getStylesheets());
        setResultConverter(button -> button == START && request.isReady() ? request : null);
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

package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.ConversionJobViewModel;
import org.disklens.gui.model.ConversionQueueViewModel;

/**
 * The conversion side panel: a "Convert" drop target (drop an image on it, pick a preset, start) and the
 * queue of conversions with their progress, throughput and time left.
 */
final class ConversionPanel extends VBox {

    /**
     * {@code convert} opens the Convert dialog for a file; {@code openResult} opens a finished conversion's
     * result in a tab.
     */
    ConversionPanel(ConversionQueueViewModel model, Consumer<Path> convert, Consumer<Path> openResult) {
        Label title = Views.label("Convert", "section-title");
        Label hint = Views.label("to convert it to qcow2, raw, VMDK, VHD, VHDX or VDI", "muted");
        hint.setWrapText(true);
        hint.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        VBox target = new VBox(Views.icon("mdi2f-file-swap-outline"), Views.label("Drop an image here", "card-title"),
                hint);
        target.setId("convert-target");
        target.getStyleClass().add("convert-target");
        target.disableProperty().bind(model.availableProperty().not());
        Label unavailable = Views.label("The conversion engine is not part of this build.", "muted");
        unavailable.setWrapText(true);
        unavailable.visibleProperty().bind(model.availableProperty().not());
        unavailable.managedProperty().bind(unavailable.visibleProperty());
        target.setOnDragOver(event -> {
            if (event.getDragboard().hasFiles() && model.availableProperty().get()) {
                event.acceptTransferModes(TransferMode.COPY);
            }
            event.consume();
        });
        target.setOnDragEntered(event -> target.getStyleClass().add("drop-hover"));
        target.setOnDragExited(event -> target.getStyleClass().remove("drop-hover"));
        target.setOnDragDropped(event -> dropped(event, convert));

        ListView<ConversionJobViewModel> jobs = new ListView<>(model.jobs());
        jobs.setId("conversion-jobs");
        jobs.getStyleClass().add("conversions");
        jobs.setPlaceholder(Views.label("Conversions you start appear here; they run one after another while "
                + "you keep inspecting.", "muted"));
        ((Label) jobs.getPlaceholder()).setWrapText(true);
        jobs.setCellFactory(list -> new JobCell(openResult));
        VBox.setVgrow(jobs, Priority.ALWAYS);
        Button clear = new Button("Clear finished");
        clear.setOnAction(event -> model.clearFinished());

        getChildren().addAll(title, target, unavailable, Views.row(8, Views.label("Queue", "card-title"), Views.grow(),
                clear), jobs);
        getStyleClass().add("convert-panel");
    }

    private static void dropped(DragEvent event, Consumer<Path> convert) {
        List<File> files = event.getDragboard().hasFiles() ? event.getDragboard().getFiles() : List.of();
        for (File file : files) {
            convert.accept(file.toPath());
        }
        event.setDropCompleted(!files.isEmpty());
        event.consume();
    }

    /** One conversion: title, bar, status, speed and time left, and Cancel or Open. */
    private static final class JobCell extends ListCell<ConversionJobViewModel> {
        private final Consumer<Path> openResult;

        JobCell(Consumer<Path> openResult) {
            this.openResult = openResult;
            // The cell takes the list's width, never its content's: long file names are cut with "…", and the
            // buttons stay in view (no horizontal scrolling in a narrow panel).
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(ConversionJobViewModel job, boolean empty) {
            super.updateItem(job, empty);
            if (empty || job == null) {
                setGraphic(null);
                return;
            }
            Label title = Views.label(job.title(), "conversion-title");
            Label preset = Views.label(job.choiceText(), "muted");
            ProgressBar bar = new ProgressBar();
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.progressProperty().bind(job.progressProperty());
            Label status = Views.label("", "muted");
            status.textProperty().bind(job.statusTextProperty());
            status.setWrapText(true);
            Label notes = Views.label("", "warning-text");
            notes.setId("conversion-notes");
            notes.setWrapText(true);
            notes.textProperty().bind(job.notesProperty());
            notes.visibleProperty().bind(job.notesProperty().isNotEmpty());
            notes.managedProperty().bind(notes.visibleProperty());
            Label speed = Views.label("", "muted");
            speed.textProperty().bind(job.speedTextProperty());
            Button cancel = new Button("Cancel");
            cancel.setOnAction(event -> job.cancel());
            Button open = new Button("Open");
            open.setOnAction(event -> openResult.accept(job.target()));
            cancel.visibleProperty().bind(job.statusProperty().isEqualTo(ConversionJobViewModel.Status.QUEUED)
                    .or(job.statusProperty().isEqualTo(ConversionJobViewModel.Status.RUNNING)));
            cancel.managedProperty().bind(cancel.visibleProperty());
            open.visibleProperty().bind(job.statusProperty().isEqualTo(ConversionJobViewModel.Status.DONE));
            open.managedProperty().bind(open.visibleProperty());
            bar.visibleProperty().bind(cancel.visibleProperty().or(open.visibleProperty()));
            bar.managedProperty().bind(bar.visibleProperty());
            HBox actions = Views.row(6, speed, Views.grow(), cancel, open);
            actions.setAlignment(Pos.CENTER_LEFT);
            title.setMinWidth(0);
            status.setId("conversion-status");
            VBox row = new VBox(title, preset, bar, status, notes, actions);
            row.setMinWidth(0);
            row.getStyleClass().add("conversion-row");
            setGraphic(row);
        }
    }
}

package org.disklens.gui.view;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.content.Volume;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.image.Units;

/** What is inside the guest disk: partitions and the file systems found in them (the allocation map draws them too). */
final class PartitionsPane extends VBox {

    PartitionsPane(ImageViewModel model) {
        TableView<Volume> table = new TableView<>(model.volumes());
        table.setId("partitions-table");
        table.getColumns().add(Views.column("#", 64, v -> v.partition().orElseThrow().scheme().equals("none") ? "disk"
                : v.partition().orElseThrow().scheme().toUpperCase() + " " + v.partition().orElseThrow().index()));
        table.getColumns().add(Views.column("Start", 80, v -> Units.size(v.partition().orElseThrow().start())));
        table.getColumns().add(Views.column("Size", 80, v -> Units.size(v.partition().orElseThrow().length())));
        table.getColumns().add(Views.column("Type and name", 200, v -> v.partition().orElseThrow().name().isEmpty() ? v.partition().orElseThrow().type()
                : v.partition().orElseThrow().type() + " · " + v.partition().orElseThrow().name()));
        table.getColumns().add(Views.column("File system", 160, v -> v.filesystem().map(fs -> fs.label().isEmpty() ? fs.type()
                : fs.type() + " \"" + fs.label() + "\"").orElse("")));
        table.getColumns().add(Views.column("Used", 110, v -> v.filesystem().map(fs -> fs.used().isPresent() && fs.size().isPresent()
                ? "%s of %s".formatted(Units.size(fs.used().getAsLong()), Units.size(fs.size().getAsLong())) : "").orElse("")));
        table.getColumns().add(Views.column("UUID", 260, v -> v.filesystem().map(fs -> fs.uuid()).orElse("")));
        table.setPlaceholder(new Label("No partition table and no file system found in the guest disk."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(Views.heading("Partitions", Views.label(
                "Partition tables (GPT, MBR) and file systems inside the disk, as blkid would name them.", "section-subtitle")),
                table);
        getStyleClass().add("section");
    }
}

package org.disklens.gui.view;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.content.DiskLayout;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.ImageViewModel;

/** What is inside the guest disk: partitions and the file systems found in them (the allocation map draws them too). */
final class PartitionsPane extends VBox {

    PartitionsPane(ImageViewModel model) {
        TableView<DiskLayout.Volume> table = new TableView<>(model.volumes());
        table.setId("partitions-table");
        table.getColumns().add(Views.column("#", 40, v -> v.partition().scheme().equals("none") ? "" : Integer.toString(v.partition().index())));
        table.getColumns().add(Views.column("Scheme", 70, v -> v.partition().scheme().equals("none") ? "whole disk" : v.partition().scheme().toUpperCase()));
        table.getColumns().add(Views.column("Start", 90, v -> Formats.size(v.partition().start())));
        table.getColumns().add(Views.column("Size", 90, v -> Formats.size(v.partition().length())));
        table.getColumns().add(Views.column("Type", 170, v -> v.partition().type()));
        table.getColumns().add(Views.column("Name", 110, v -> v.partition().name()));
        table.getColumns().add(Views.column("File system", 100, v -> v.filesystem().map(fs -> fs.type()).orElse("")));
        table.getColumns().add(Views.column("Label", 110, v -> v.filesystem().map(fs -> fs.label()).orElse("")));
        table.getColumns().add(Views.column("Used", 130, v -> v.filesystem().map(fs -> fs.used().isPresent() && fs.size().isPresent()
                ? "%s of %s".formatted(Formats.size(fs.used().getAsLong()), Formats.size(fs.size().getAsLong())) : "").orElse("")));
        table.getColumns().add(Views.column("UUID", 280, v -> v.filesystem().map(fs -> fs.uuid()).orElse("")));
        table.setPlaceholder(new Label("No partition table and no file system found in the guest disk."));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(Views.heading("Partitions", Views.label(
                "Partition tables (GPT, MBR) and file systems inside the disk, as blkid would name them.", "section-subtitle")),
                table);
        getStyleClass().add("section");
    }
}

package org.disklens.gui.view;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.PartitionsViewModel;
import org.disklens.gui.model.PartitionsViewModel.Row;

/**
 * What is inside the guest disk: partitions and the file systems found in them, each with its size, use, free space
 * and the space the image stores that it has freed (the allocation map draws the partitions too).
 */
final class PartitionsPane extends VBox {

    PartitionsPane(PartitionsViewModel model) {
        TableView<Row> table = new TableView<>(model.rows());
        table.setId("partitions-table");
        // The figures first, so size, used, free and reclaimable are in view beside the window's Convert panel.
        table.getColumns().add(Views.column("#", 60, Row::number));
        table.getColumns().add(Views.column("Start", 70, Row::start));
        table.getColumns().add(Views.column("Size", 70, Row::size));
        table.getColumns().add(Views.column("File system", 130, Row::fileSystem));
        table.getColumns().add(Views.column("Used", 170, Row::used));
        table.getColumns().add(Views.column("Free", 80, Row::free));
        table.getColumns().add(Views.column("Reclaimable", 100, Row::reclaimable));
        table.getColumns().add(Views.column("Type and name", 210, Row::type));
        table.getColumns().add(Views.column("UUID", 300, Row::uuid));
        table.getColumns().forEach(column -> column.setMinWidth(column.getPrefWidth() * 0.6));
        table.setPlaceholder(new Label("No partition table and no file system found in the guest disk."));
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        Views.copyable(table);
        VBox.setVgrow(table, Priority.ALWAYS);
        Label subtitle = Views.label("Partition tables (GPT, MBR) and file systems inside the disk, as blkid names "
                + "them; used and free as the file system counts them, reclaimable: what the image stores in its free "
                + "space (Shrink drops it).", "section-subtitle");
        subtitle.setWrapText(true);
        subtitle.setMinHeight(Region.USE_PREF_SIZE);
        getChildren().addAll(Views.heading("Partitions", subtitle), table);
        getStyleClass().add("section");
    }
}

package org.disklens.gui.view;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.OpenedImage;
import org.disklens.image.Snapshot;
import org.disklens.image.Units;

/** Internal snapshots (as {@code qemu-img snapshot -l} lists them) and persistent bitmaps. */
final class SnapshotsPane extends VBox {

    SnapshotsPane(ImageViewModel model) {
        TableView<Snapshot> snapshots = new TableView<>(model.snapshots());
        snapshots.setId("snapshots-table");
        snapshots.getColumns().add(Views.column("ID", 60, Snapshot::id));
        snapshots.getColumns().add(Views.column("Tag", 200, Snapshot::name));
        snapshots.getColumns().add(Views.column("VM state", 100, s -> Units.size(s.vmStateSize())));
        snapshots.getColumns().add(Views.column("Date", 170, s -> Formats.date(s.dateSeconds())));
        snapshots.getColumns().add(Views.column("VM clock", 120, s -> Formats.clock(s.vmClockNanos())));
        snapshots.getColumns().add(Views.column("Icount", 90, s -> s.icount() < 0 ? "" : Long.toString(s.icount())));
        snapshots.getColumns().add(Views.column("Disk size", 100, s -> Units.size(s.virtualSize())));
        snapshots.setPlaceholder(new Label("No internal snapshots."));
        snapshots.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableView<OpenedImage.Bitmap> bitmaps = new TableView<>(model.bitmaps());
        bitmaps.setId("bitmaps-table");
        bitmaps.getColumns().add(Views.column("Name", 240, OpenedImage.Bitmap::name));
        bitmaps.getColumns().add(Views.column("Granularity", 120, b -> Units.size(b.granularity())));
        bitmaps.getColumns().add(Views.column("Flags", 200, OpenedImage.Bitmap::flags));
        bitmaps.setPlaceholder(new Label("No persistent bitmaps."));
        bitmaps.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        bitmaps.setPrefHeight(160);

        VBox.setVgrow(snapshots, Priority.ALWAYS);
        getChildren().addAll(Views.heading("Snapshots", Views.label(
                "Internal snapshots keep old copies of changed clusters inside the file.", "section-subtitle")),
                snapshots, Views.heading("Bitmaps", Views.label(
                        "Persistent dirty bitmaps track changed areas for incremental backups.", "section-subtitle")),
                bitmaps);
        getStyleClass().add("section");
    }
}

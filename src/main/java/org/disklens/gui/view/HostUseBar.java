package org.disklens.gui.view;

import java.util.Map;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.disklens.gui.model.Formats;
import org.disklens.image.HostRegion;
import org.disklens.inspect.HostLayout;
import org.disklens.image.Units;

/** The host file as one stacked bar of its uses: how much is data, metadata, snapshots, free. */
final class HostUseBar extends HBox {
    HostUseBar() {
        getStyleClass().add("host-use-bar");
        setMinHeight(14);
        setPrefHeight(14);
        setMaxHeight(14);
    }

    void setLayout(HostLayout layout) {
        getChildren().clear();
        if (layout == null || layout.fileSize() == 0) {
            return;
        }
        for (Map.Entry<HostRegion, Long> entry : layout.totals().entrySet()) {
            Region part = new Region();
            part.setStyle("-fx-background-color: " + Palette.css(Palette.host(entry.getKey())) + ";");
            part.setMinWidth(2);
            part.prefWidthProperty().bind(widthProperty().multiply((double) entry.getValue() / layout.fileSize()));
            HBox.setHgrow(part, Priority.NEVER);
            Views.tooltip(part, "%s: %s (%s)".formatted(entry.getKey().label(),
                    Units.size(entry.getValue()), Units.percent(entry.getValue(), layout.fileSize())));
            getChildren().add(part);
        }
    }
}

package org.disklens.gui.view;

import javafx.event.EventHandler;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.kordamp.ikonli.javafx.FontIcon;

/** Small building blocks the views share: icons, titles, cards, legend items. */
final class Views {
    private Views() {
    }

    /**
     * Gives {@code node} a tooltip, made the first time the pointer enters it: a tooltip is a popup window with a scene of
     * its own, and making every button's at once took ~25 ms of the window's start.
     */
    static void tooltip(Node node, String text) {
        node.addEventFilter(MouseEvent.MOUSE_ENTERED, new EventHandler<>() {
            @Override
            public void handle(MouseEvent entered) {
                node.removeEventFilter(MouseEvent.MOUSE_ENTERED, this);
                Tooltip tip = new Tooltip(text);
                if (node instanceof Control control) {
                    control.setTooltip(tip);
                } else {
                    Tooltip.install(node, tip);
                }
            }
        });
    }

    /** A Material Design icon by its Ikonli literal, e.g. {@code mdi2f-folder-open}. */
    static FontIcon icon(String literal) {
        return new FontIcon(literal);
    }

    static Label label(String text, String... styleClasses) {
        Label label = new Label(text);
        label.getStyleClass().addAll(styleClasses);
        return label;
    }

    static VBox card(String title, Node... content) {
        VBox card = new VBox();
        card.getStyleClass().add("card");
        if (title != null) {
            card.getChildren().add(label(title, "card-title"));
        }
        card.getChildren().addAll(content);
        return card;
    }

    /** A section's heading: a title and a line under it. */
    static VBox heading(String title, Node subtitle) {
        VBox heading = new VBox(2, label(title, "section-title"));
        if (subtitle != null) {
            heading.getChildren().add(subtitle);
        }
        return heading;
    }

    static HBox legendItem(Color colour, String text) {
        Region swatch = new Region();
        swatch.getStyleClass().add("swatch");
        swatch.setStyle("-fx-background-color: " + Palette.css(colour) + ";"
                + (colour.getBrightness() > 0.9 ? "-fx-border-color: #cbd5e1; -fx-border-radius: 3;" : ""));
        HBox item = new HBox(swatch, label(text));
        item.getStyleClass().add("legend-item");
        return item;
    }

    static Region grow() {
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        VBox.setVgrow(spacer, Priority.ALWAYS);
        return spacer;
    }

    static HBox row(double spacing, Node... nodes) {
        HBox row = new HBox(spacing, nodes);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** A table column showing text derived from the row; a value too long for its cell shows whole in a tooltip. */
    static <T> javafx.scene.control.TableColumn<T, String> column(String title, double width,
                                                                 java.util.function.Function<T, String> value) {
        javafx.scene.control.TableColumn<T, String> column = new javafx.scene.control.TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cell.getValue())));
        column.setCellFactory(owner -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                setTooltip(empty || text == null || text.isEmpty() ? null : new javafx.scene.control.Tooltip(text));
            }
        });
        return column;
    }

    /** A table that fits its columns to their content and copies cells and rows (see {@link Copying}). */
    static <T> void copyable(javafx.scene.control.TableView<T> table) {
        Copying.table(table);
    }
}

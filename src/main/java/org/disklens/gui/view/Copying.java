package org.disklens.gui.view;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TablePosition;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/**
 * Every value the window shows can be copied: in tables the selected cell (Ctrl+C, or Copy in the context menu) or
 * its whole row (Copy row: the cells separated by tabs); in a card of facts a value or its row ("label: value").
 */
final class Copying {
    static final KeyCombination COPY = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);

    private Copying() {
    }

    /** Cell selection, Ctrl+C, and Copy / Copy row in a context menu. */
    static <T> void table(TableView<T> table) {
        table.getSelectionModel().setCellSelectionEnabled(true);
        install(table, () -> {
            List<TablePosition> cells = table.getSelectionModel().getSelectedCells();
            return cells.isEmpty() ? null : text(cells.getFirst().getTableColumn(), cells.getFirst().getRow());
        }, () -> {
            int row = table.getSelectionModel().getSelectedIndex();
            return row < 0 ? null : table.getVisibleLeafColumns().stream().map(column -> text(column, row))
                    .collect(Collectors.joining("\t"));
        });
    }

    /**
     * A tree table (the file browser) keeps selecting whole rows: Copy (and Ctrl+C) copies what {@code primary} says of
     * the selected row (a file's path), Copy row all its cells.
     */
    static <T> void treeTable(TreeTableView<T> table, java.util.function.Function<T, String> primary) {
        install(table, () -> {
            var item = table.getSelectionModel().getSelectedItem();
            return item == null || item.getValue() == null ? null : primary.apply(item.getValue());
        }, () -> {
            int row = table.getSelectionModel().getSelectedIndex();
            return row < 0 ? null : table.getVisibleLeafColumns().stream().map(column -> text(column, row))
                    .collect(Collectors.joining("\t"));
        });
    }

    /**
     * A fact's value label: Copy (the value) and Copy row ("label: value") in its context menu, made when first asked for
     * (a context menu is a popup window with a scene of its own: a card of a dozen facts made a dozen at once).
     */
    static void fact(String name, Label value) {
        value.addEventFilter(ContextMenuEvent.CONTEXT_MENU_REQUESTED, requested -> {
            if (value.getContextMenu() == null) {
                value.setContextMenu(new ContextMenu(item("Copy", value::getText),
                        item("Copy row", () -> name + ": " + value.getText())));
            }
        });
    }

    /** Puts {@code text} on the system clipboard. */
    static void toClipboard(String text) {
        ClipboardContent content = new ClipboardContent();
        content.putString(text);
        Clipboard.getSystemClipboard().setContent(content);
    }

    private static void install(Control control, Supplier<String> cell, Supplier<String> row) {
        control.setContextMenu(new ContextMenu(item("Copy", cell), item("Copy row", row)));
        control.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, event -> {
            if (COPY.match(event)) {
                String text = cell.get();
                if (text != null) {
                    toClipboard(text);
                }
                event.consume();
            }
        });
    }

    private static MenuItem item(String title, Supplier<String> text) {
        MenuItem item = new MenuItem(title);
        item.setOnAction(event -> {
            String value = text.get();
            if (value != null) {
                toClipboard(value);
            }
        });
        return item;
    }

    private static String text(TableColumn<?, ?> column, int row) {
        Object value = column == null ? null : column.getCellData(row);
        return value == null ? "" : value.toString();
    }

    private static String text(TreeTableColumn<?, ?> column, int row) {
        Object value = column == null ? null : column.getCellData(row);
        return value == null ? "" : value.toString();
    }
}

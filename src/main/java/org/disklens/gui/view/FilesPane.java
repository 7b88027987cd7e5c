package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import org.disklens.content.FileEntry;
import org.disklens.gui.model.FilesViewModel;
import org.disklens.gui.model.Formats;
import org.disklens.image.Units;

/**
 * The file browser of an ISO (or of an ISO inside any image): a tree of names, sizes and dates, opened one
 * directory at a time in the background; "Extract…" copies the selection out, and a file can be dragged out
 * of the window once it is ready.
 */
final class FilesPane extends VBox {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final FilesViewModel model;
    private final TreeTableView<FileEntry> tree = new TreeTableView<>();

    FilesPane(FilesViewModel model) {
        this.model = model;
        tree.setId("files-tree");
        tree.setShowRoot(false);
        tree.getColumns().add(column("Name", 360, entry -> entry.name() + entry.target().map(target -> " → " + target).orElse("")));
        tree.getColumns().add(column("Size", 100, entry -> entry.directory() ? "" : Units.size(entry.size())));
        tree.getColumns().add(column("Modified", 140, entry -> entry.modified().map(DATE::format).orElse("")));
        tree.getColumns().add(column("Type", 80, entry -> entry.type().label()));
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        tree.setPlaceholder(new Label("This image holds no ISO 9660 or UDF file system."));
        VBox.setVgrow(tree, Priority.ALWAYS);

        Button extract = new Button("Extract…", Views.icon("mdi2t-tray-arrow-down"));
        extract.setId("files-extract");
        extract.disableProperty().bind(tree.getSelectionModel().selectedItemProperty().isNull());
        extract.setOnAction(event -> chooseAndExtract());
        Label status = Views.label("", "muted");
        status.setId("files-status");
        status.textProperty().bind(model.statusProperty());
        Label naming = Views.label("", "section-subtitle");
        naming.textProperty().bind(model.namingProperty().map(text -> text.isEmpty() ? ""
                : "Listed by their " + text + ". Select a file and drag it out, or extract it."));

        tree.getSelectionModel().selectedItemProperty().addListener((observed, old, item) ->
                model.selected(item == null ? null : item.getValue()));
        tree.setOnDragDetected(event -> {
            Path ready = model.draggableProperty().get();
            if (ready != null) {
                ClipboardContent content = new ClipboardContent();
                content.putFiles(List.of(ready.toFile()));
                tree.startDragAndDrop(TransferMode.COPY).setContent(content);
            }
            event.consume();
        });

        model.rootProperty().addListener((observed, old, root) -> showRoot(root));
        showRoot(model.rootProperty().get());
        getChildren().addAll(Views.heading("Files", naming), tree, Views.row(12, extract, status));
        getStyleClass().add("section");
    }

    private void showRoot(FileEntry root) {
        tree.setRoot(root == null ? null : item(root));
        if (root != null) {
            tree.getRoot().setExpanded(true);
        }
    }

    /** A tree item that asks for its children (in the background) the first time it is expanded. */
    private TreeItem<FileEntry> item(FileEntry entry) {
        TreeItem<FileEntry> item = new TreeItem<>(entry, Views.icon(switch (entry.type()) {
            case DIRECTORY -> "mdi2f-folder-outline";
            case SYMLINK -> "mdi2l-link-variant";
            case FILE -> "mdi2f-file-outline";
            case OTHER -> "mdi2f-file-question-outline";
        }));
        if (entry.directory()) {
            item.getChildren().add(new TreeItem<>()); // a placeholder so the item shows it can open
            boolean[] loaded = {false};
            item.expandedProperty().addListener((observed, was, expanded) -> {
                if (expanded && !loaded[0]) {
                    loaded[0] = true;
                    model.list(entry, children -> item.getChildren().setAll(children.stream().map(this::item).toList()));
                }
            });
        }
        return item;
    }

    private void chooseAndExtract() {
        TreeItem<FileEntry> selected = tree.getSelectionModel().getSelectedItem();
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Extract " + selected.getValue().name() + " to…");
        File folder = chooser.showDialog(getScene().getWindow());
        if (folder != null) {
            model.extract(selected.getValue(), folder.toPath());
        }
    }

    private static TreeTableColumn<FileEntry, String> column(String title, double width,
                                                             java.util.function.Function<FileEntry, String> value) {
        TreeTableColumn<FileEntry, String> column = new TreeTableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue().getValue() == null ? ""
                : value.apply(cell.getValue().getValue())));
        return column;
    }
}

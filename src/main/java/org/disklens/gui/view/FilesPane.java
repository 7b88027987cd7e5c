package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.disklens.content.FileEntry;
import org.disklens.content.Volume;
import org.disklens.gui.model.FilesViewModel;
import org.disklens.gui.task.Job;
import org.disklens.gui.model.Formats;
import org.disklens.image.Units;

/**
 * The file browser of an image's file systems (a selector when there are several): a tree of names, sizes, dates,
 * permissions and owners, opened one directory at a time in the background; "Extract…" copies the selection out, and
 * a file can be dragged out of the window once it is ready.
 */
final class FilesPane extends VBox {
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private final FilesViewModel model;
    private final TreeTableView<FileEntry> tree = new TreeTableView<>();
    /** Each opened folder's entries before the filter, so the filter can be changed without listing again. */
    private final Map<TreeItem<FileEntry>, List<FileEntry>> listed = new HashMap<>();
    private final TextField find = new TextField();
    private String prefix = "";
    private long lastTyped;

    FilesPane(FilesViewModel model) {
        this.model = model;
        tree.setId("files-tree");
        tree.setShowRoot(false);
        tree.getColumns().add(column("Name", 360, entry -> entry.name() + entry.target().map(target -> " → " + target).orElse("")));
        tree.getColumns().add(column("Size", 100, entry -> entry.directory() ? "" : Units.size(entry.size())));
        tree.getColumns().add(column("Modified", 140, entry -> entry.modified().map(DATE::format).orElse("")));
        tree.getColumns().add(column("Type", 70, entry -> entry.type().label()));
        tree.getColumns().add(column("Permissions", 100, FilesPane::permissions));
        tree.getColumns().add(column("Owner", 90, entry -> entry.attributes().uid().isPresent()
                ? entry.attributes().uid().getAsLong() + ":" + entry.attributes().gid().orElse(0) : ""));
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        tree.setPlaceholder(new Label("This image holds no file system DiskLens can list."));
        Copying.treeTable(tree, FileEntry::path);
        tree.addEventHandler(KeyEvent.KEY_TYPED, this::typeAhead);
        addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (FIND.match(event)) {
                find.requestFocus();
                find.selectAll();
                event.consume();
            }
        });
        ComboBox<Volume> volumes = new ComboBox<>(model.volumes());
        volumes.setId("files-volume");
        volumes.setConverter(new StringConverter<>() {
            @Override
            public String toString(Volume volume) {
                return volume == null ? "" : FilesViewModel.describe(volume);
            }

            @Override
            public Volume fromString(String text) {
                return null;
            }
        });
        volumes.setValue(model.volumeProperty().get());
        model.volumeProperty().addListener((observed, old, shown) -> volumes.setValue(shown));
        volumes.valueProperty().addListener((observed, old, chosen) -> {
            if (chosen != null && chosen != model.volumeProperty().get()) {
                model.select(chosen);
            }
        });
        volumes.visibleProperty().bind(Bindings.size(model.volumes()).greaterThan(1));
        volumes.managedProperty().bind(volumes.visibleProperty());
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
        model.filterProperty().addListener((observed, old, text) -> listed.forEach(this::showChildren));

        SplitPane split = new SplitPane(tree, details());
        split.setDividerPositions(0.68);
        VBox.setVgrow(split, Priority.ALWAYS);
        Label damage = Views.label("", "warning-text");
        damage.setId("files-damage");
        damage.setWrapText(true);
        damage.textProperty().bind(model.damageProperty());
        damage.visibleProperty().bind(model.damageProperty().isNotEmpty());
        damage.managedProperty().bind(damage.visibleProperty());
        getChildren().addAll(Views.heading("Files", naming), volumes, damage, searchBar(), foundList(), split,
                Views.row(12, extract, status));
        getStyleClass().add("section");
    }

    /** Filter the open folders as you type; find by name through the whole file system, in the background. */
    private HBox searchBar() {
        TextField filter = new TextField();
        filter.setId("files-filter");
        filter.setPromptText("Filter by name");
        filter.textProperty().bindBidirectional(model.filterProperty());
        find.setId("files-find");
        find.setPromptText("Find by name in every folder (Ctrl+F)");
        find.setOnAction(event -> model.find(find.getText()));
        Button findButton = new Button("Find", Views.icon("mdi2m-magnify"));
        findButton.setOnAction(event -> model.find(find.getText()));
        Button cancel = new Button("Stop");
        cancel.setId("files-find-cancel");
        ProgressBar progress = new ProgressBar();
        progress.setPrefWidth(120);
        model.findingProperty().addListener((observed, old, job) -> {
            progress.progressProperty().unbind();
            cancel.disableProperty().unbind();
            if (job != null) {
                progress.progressProperty().bind(job.progressProperty());
                cancel.disableProperty().bind(job.stateProperty().isNotEqualTo(Job.State.RUNNING));
                cancel.setOnAction(event -> job.cancel());
            }
        });
        progress.visibleProperty().bind(cancel.disabledProperty().not());
        cancel.setDisable(true);
        HBox.setHgrow(find, Priority.ALWAYS);
        return Views.row(8, filter, find, findButton, progress, cancel);
    }

    /** What the last search found; choosing one shows where it lives and what it holds. */
    private ListView<FileEntry> foundList() {
        ListView<FileEntry> found = new ListView<>(model.found());
        found.setId("files-found");
        found.setPrefHeight(120);
        found.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(FileEntry entry, boolean empty) {
                super.updateItem(entry, empty);
                setText(empty || entry == null ? null : entry.path());
            }
        });
        found.visibleProperty().bind(Bindings.isNotEmpty(model.found()));
        found.managedProperty().bind(found.visibleProperty());
        found.getSelectionModel().selectedItemProperty().addListener((observed, old, entry) -> {
            if (entry != null) {
                model.selected(entry);
            }
        });
        return found;
    }

    /** Where the selected file lives on the disk, and the first 64 KiB of a text file. */
    private VBox details() {
        Label where = Views.label("", "muted");
        where.setId("files-location");
        where.setWrapText(true);
        where.textProperty().bind(model.locationTextProperty().map(text -> text.isEmpty() ? ""
                : "Where it lives: " + text + " (marked on the Allocation map)"));
        TextArea preview = new TextArea();
        preview.setId("files-preview");
        preview.setEditable(false);
        preview.setWrapText(false);
        preview.setPromptText("Select a text file to see its beginning.");
        preview.textProperty().bind(model.previewProperty());
        VBox.setVgrow(preview, Priority.ALWAYS);
        VBox box = new VBox(8, where, preview);
        box.setMinWidth(200);
        return box;
    }

    private void showRoot(FileEntry root) {
        listed.clear();
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
                    model.list(entry, children -> {
                        listed.put(item, children);
                        showChildren(item, children);
                    });
                }
            });
        }
        return item;
    }

    private void showChildren(TreeItem<FileEntry> item, List<FileEntry> children) {
        item.getChildren().setAll(children.stream().filter(model::passesFilter).map(this::item).toList());
    }

    /**
     * A save dialog (its button says Save, and it asks "Replace?" itself before returning a name that exists), under the
     * entry's own name: the file or folder is written there.
     */
    private void chooseAndExtract() {
        TreeItem<FileEntry> selected = tree.getSelectionModel().getSelectedItem();
        FileEntry entry = selected.getValue();
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Extract %s as".formatted(entry.name()));
        chooser.setInitialFileName(entry.name());
        File chosen = chooser.showSaveDialog(getScene().getWindow());
        if (chosen != null) {
            model.extract(entry, chosen.toPath(), chosen.exists());
        }
    }

    /**
     * Typing a name's first letters selects the next visible entry that starts with them, as in a file manager; a pause
     * of a second starts a new name.
     */
    private void typeAhead(KeyEvent event) {
        String typed = event.getCharacter();
        if (typed.isEmpty() || Character.isISOControl(typed.charAt(0)) || event.isShortcutDown()) {
            return;
        }
        long now = System.nanoTime();
        prefix = now - lastTyped > 1_000_000_000L ? typed : prefix + typed;
        lastTyped = now;
        String wanted = prefix.toLowerCase(java.util.Locale.ROOT);
        int rows = tree.getExpandedItemCount();
        int from = Math.max(0, tree.getSelectionModel().getSelectedIndex());
        // The selection itself may already match what is typed so far (a second letter of the same name).
        for (int step = prefix.length() == 1 ? 1 : 0; step <= rows; step++) {
            int row = (from + step) % Math.max(1, rows);
            TreeItem<FileEntry> item = tree.getTreeItem(row);
            if (item != null && item.getValue() != null
                    && item.getValue().name().toLowerCase(java.util.Locale.ROOT).startsWith(wanted)) {
                tree.getSelectionModel().clearAndSelect(row);
                tree.scrollTo(row);
                break;
            }
        }
        event.consume();
    }

    /** {@code rwxr-xr-x}, with the set-id and sticky bits as ls shows them; empty where the file system has no modes. */
    static String permissions(FileEntry entry) {
        if (entry.attributes().mode().isEmpty()) {
            return "";
        }
        int mode = entry.attributes().mode().getAsInt();
        char[] text = "rwxrwxrwx".toCharArray();
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1 << (8 - bit))) == 0) {
                text[bit] = '-';
            }
        }
        special(text, 2, (mode & 04000) != 0, 's');
        special(text, 5, (mode & 02000) != 0, 's');
        special(text, 8, (mode & 01000) != 0, 't');
        return new String(text);
    }

    private static void special(char[] text, int at, boolean set, char letter) {
        if (set) {
            text[at] = text[at] == '-' ? Character.toUpperCase(letter) : letter;
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

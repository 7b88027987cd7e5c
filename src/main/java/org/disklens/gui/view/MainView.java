package org.disklens.gui.view;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.controlsfx.control.StatusBar;
import org.disklens.gui.model.ConversionJobViewModel;
import org.disklens.gui.model.ConversionRequest;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;

/**
 * The window's content: menus and toolbar, a tab per image, the conversion panel, the status bar. Files
 * dropped anywhere on it open (except on the Convert target, which converts them).
 */
public final class MainView extends BorderPane {
    private final MainViewModel model;
    private final TabPane tabs = new TabPane();
    private final ConversionPanel conversions;

    public MainView(MainViewModel model) {
        this.model = model;
        getStyleClass().add("main-view");
        tabs.getStyleClass().add("images");
        tabs.setId("image-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        model.images().addListener((ListChangeListener<ImageViewModel>) change -> syncTabs());
        tabs.getSelectionModel().selectedItemProperty().addListener((observable, old, tab) -> {
            if (tab != null && tab.getUserData() instanceof ImageViewModel image) {
                model.selectedProperty().set(image);
            }
        });
        model.selectedProperty().addListener((observable, old, image) -> selectTab(image));

        Parent empty = emptyState();
        StackPane centre = new StackPane(empty, tabs);
        tabs.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.images()));
        empty.visibleProperty().bind(tabs.visibleProperty().not());
        conversions = new ConversionPanel(model.conversions(), this::convert, file -> model.open(List.of(file)));
        SplitPane split = new SplitPane(centre, conversions);
        split.setDividerPositions(0.78);
        SplitPane.setResizableWithParent(conversions, false);
        setTop(new VBox(menus(), toolbar()));
        setCenter(split);
        StatusBar status = new StatusBar();
        status.setId("status-bar");
        status.textProperty().bind(model.statusProperty());
        setBottom(new VBox(finishedBanner(), status));

        setOnDragOver(this::dragOver);
        setOnDragDropped(this::dropped);
    }

    // ---- opening ----

    private void dragOver(DragEvent event) {
        if (event.getDragboard().hasFiles()) {
            event.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
        }
        event.consume();
    }

    private void dropped(DragEvent event) {
        boolean hasFiles = event.getDragboard().hasFiles();
        if (hasFiles) {
            model.open(event.getDragboard().getFiles().stream().map(File::toPath).toList());
        }
        event.setDropCompleted(hasFiles);
        event.consume();
    }

    private void chooseAndOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open disk images");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Disk images", "*.qcow2", "*.qcow", "*.img", "*.raw", "*.vmdk",
                        "*.vhd", "*.vhdx", "*.vdi", "*.ova", "*.ovf", "*.iso", "*.bin"),
                new FileChooser.ExtensionFilter("All files", "*"));
        List<File> files = chooser.showOpenMultipleDialog(window());
        if (files != null && !files.isEmpty()) {
            model.open(files.stream().map(File::toPath).toList());
        }
    }

    // ---- converting ----

    /** Convert…: the dialog for {@code source}; Start queues the conversion. */
    void convert(Path source) {
        if (!model.conversions().availableProperty().get()) {
            return;
        }
        ConversionRequest request = model.conversions().request(source);
        ConvertDialog dialog = new ConvertDialog(window(), request);
        dialog.setOnHidden(event -> {
            if (dialog.getResult() != null) {
                model.conversions().start(dialog.getResult());
            }
        });
        dialog.show();
    }

    private void convertSelected() {
        ImageViewModel selected = model.selectedProperty().get();
        if (selected != null) {
            convert(selected.path());
        }
    }

    /**
     * Under the window's content, never over the tabs: the conversion that finished last, with a button to open its
     * result (always the last one's) and one to dismiss it.
     */
    private HBox finishedBanner() {
        Label text = new Label();
        text.setId("finished-text");
        Button open = new Button();
        open.setId("finished-open");
        Button dismiss = new Button("Dismiss");
        dismiss.setOnAction(event -> model.conversions().dismissLastFinished());
        HBox banner = new HBox(Views.icon("mdi2c-check-circle-outline"), text, Views.grow(), open, dismiss);
        banner.getStyleClass().add("banner");
        banner.setId("finished-banner");
        Runnable show = () -> {
            ConversionJobViewModel job = model.conversions().lastFinishedProperty().get();
            banner.setVisible(job != null);
            banner.setManaged(job != null);
            if (job != null) {
                text.setText("Converted %s to %s.".formatted(job.source().getFileName(), job.target().getFileName()));
                open.setText("Open " + job.target().getFileName());
                open.setOnAction(event -> {
                    model.conversions().dismissLastFinished();
                    model.open(List.of(job.target()));
                });
            }
        };
        model.conversions().lastFinishedProperty().addListener((observed, old, job) -> show.run());
        show.run();
        return banner;
    }

    // ---- tabs ----

    private void syncTabs() {
        tabs.getTabs().removeIf(tab -> !model.images().contains((ImageViewModel) tab.getUserData()));
        for (ImageViewModel image : model.images()) {
            boolean shown = tabs.getTabs().stream().anyMatch(tab -> tab.getUserData() == image);
            if (!shown) {
                tabs.getTabs().add(tabFor(image));
            }
        }
        selectTab(model.selectedProperty().get());
    }

    private Tab tabFor(ImageViewModel image) {
        Tab tab = new Tab();
        tab.textProperty().bind(image.titleProperty());
        tab.setGraphic(Views.icon("mdi2h-harddisk"));
        tab.setUserData(image);
        tab.setContent(new ImagePane(image, this::convert));
        tab.setTooltip(new Tooltip(image.path().toString()));
        tab.setOnClosed(event -> model.close(image));
        return tab;
    }

    private void selectTab(ImageViewModel image) {
        tabs.getTabs().stream().filter(tab -> tab.getUserData() == image).findFirst()
                .ifPresent(tab -> tabs.getSelectionModel().select(tab));
    }

    /** The pane of the selected image (for tests and screenshots). */
    public ImagePane selectedPane() {
        Tab tab = tabs.getSelectionModel().getSelectedItem();
        return tab == null ? null : (ImagePane) tab.getContent();
    }

    // ---- chrome ----

    private MenuBar menus() {
        MenuItem open = item("Open…", "mdi2f-folder-open-outline", new KeyCodeCombination(KeyCode.O,
                KeyCombination.SHORTCUT_DOWN), this::chooseAndOpen);
        Menu recent = new Menu("Open Recent");
        recent.setId("menu-recent");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path path : model.recent().files()) {
                MenuItem item = new MenuItem(path.toString());
                item.setOnAction(event -> model.open(List.of(path)));
                recent.getItems().add(item);
            }
            if (!recent.getItems().isEmpty()) {
                MenuItem clear = new MenuItem("Clear list");
                clear.setOnAction(event -> model.recent().clear());
                recent.getItems().addAll(new SeparatorMenuItem(), clear);
            }
            recent.setDisable(recent.getItems().isEmpty());
        };
        model.recent().files().addListener((ListChangeListener<Path>) change -> fillRecent.run());
        fillRecent.run();
        MenuItem reload = item("Reload", "mdi2r-refresh", new KeyCodeCombination(KeyCode.R,
                KeyCombination.SHORTCUT_DOWN), model::reloadSelected);
        MenuItem close = item("Close", null, new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), () -> {
            if (model.selectedProperty().get() != null) {
                model.close(model.selectedProperty().get());
            }
        });
        MenuItem convert = item("Convert…", "mdi2f-file-swap-outline", null, this::convertSelected);
        convert.disableProperty().bind(model.conversions().availableProperty().not()
                .or(model.selectedProperty().isNull()));
        MenuItem quit = item("Quit", null, new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), () -> {
            Window window = window();
            if (window != null) {
                window.hide();
            }
        });
        Menu file = new Menu("File", null, open, recent, reload, close, new SeparatorMenuItem(), convert,
                new SeparatorMenuItem(), quit);
        MenuItem about = item("About DiskLens", null, null, this::about);
        MenuBar bar = new MenuBar(file, new Menu("Help", null, about));
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private ToolBar toolbar() {
        Button open = button("Open", "mdi2f-folder-open-outline", "Open disk images (Ctrl+O)", this::chooseAndOpen);
        Button reload = button("Reload", "mdi2r-refresh", "Read the image again (Ctrl+R)", model::reloadSelected);
        reload.disableProperty().bind(model.selectedProperty().isNull());
        Button check = button("Check", "mdi2s-stethoscope", "Run the consistency check", () -> {
            ImagePane pane = selectedPane();
            if (pane != null) {
                pane.show(ImagePane.Section.CHECK);
                pane.model().check().run();
            }
        });
        check.disableProperty().bind(model.selectedProperty().isNull());
        Button convert = button("Convert…", "mdi2f-file-swap-outline", "Convert the selected image",
                this::convertSelected);
        convert.disableProperty().bind(model.conversions().availableProperty().not()
                .or(model.selectedProperty().isNull()));
        return new ToolBar(open, reload, check, convert);
    }

    private static MenuItem item(String text, String icon, KeyCombination keys, Runnable action) {
        MenuItem item = new MenuItem(text, icon == null ? null : Views.icon(icon));
        if (keys != null) {
            item.setAccelerator(keys);
        }
        item.setOnAction(event -> action.run());
        return item;
    }

    private static Button button(String text, String icon, String tip, Runnable action) {
        Button button = new Button(text, Views.icon(icon));
        Views.tooltip(button, tip);
        button.setOnAction(event -> action.run());
        return button;
    }

    private Parent emptyState() {
        VBox empty = new VBox(Views.icon("mdi2t-tray-arrow-down"), Views.label("Drop disk images here", "empty-title"),
                Views.label("qcow2, raw, VMDK and ISO — or use File → Open. Nothing is ever written to them.", "muted"));
        empty.getStyleClass().add("empty-state");
        empty.setId("empty-state");
        return empty;
    }

    private void about() {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(window());
        alert.setTitle("About DiskLens");
        alert.setHeaderText(org.disklens.Version.TEXT);
        alert.setContentText("An inspector and converter for virtual-machine disk images: qcow2, raw, VMDK and ISO.\n"
                + "Images are opened read-only.\nJava %s · JavaFX %s".formatted(System.getProperty("java.version"),
                        System.getProperty("javafx.version", "?")));
        alert.getDialogPane().setId("about");
        alert.show();
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }
}

package org.disklens.gui.view;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.ImageViewModel;

/**
 * One image's tab: a sidebar of sections and the chosen section. While the image opens it shows a spinner;
 * if it cannot be opened, the reason in words and a way to try again. An image that only a conversion can read (the
 * gzip-compressed disk of an OVA) is said in the window's words, with the engine's line under it, and Convert… first.
 */
public final class ImagePane extends StackPane {
    /** The sections, in sidebar order; each is built when first shown. */
    public enum Section {
        OVERVIEW("Overview", "mdi2i-information-outline"),
        ALLOCATION("Allocation map", "mdi2v-view-grid-outline"),
        FILE_LAYOUT("File layout", "mdi2f-file-chart"),
        BACKING_CHAIN("Backing chain", "mdi2l-layers-triple"),
        PARTITIONS("Partitions", "mdi2h-harddisk"),
        FILES("Files", "mdi2f-folder-open-outline"),
        SNAPSHOTS("Snapshots", "mdi2c-camera-outline"),
        HEADER("Header", "mdi2t-table-large"),
        CHECK("Check", "mdi2s-stethoscope");

        final String title;
        final String icon;

        Section(String title, String icon) {
            this.title = title;
            this.icon = icon;
        }
    }

    private final ImageViewModel model;
    private final BorderPane ready = new BorderPane();
    private final Map<Section, Supplier<Node>> factories = new LinkedHashMap<>();
    private final Map<Section, Node> built = new LinkedHashMap<>();
    private final Map<Section, ToggleButton> buttons = new LinkedHashMap<>();
    private final ToggleGroup group = new ToggleGroup();
    private Section shown = Section.OVERVIEW;
    private Node loading;
    private Node failed;

    /**
     * The window's words for an image that can be read only from start to end, as a conversion reads it; the engine's
     * own line (which names the command line's conversion) is shown under it.
     */
    public static final String CONVERTIBLE_ONLY = "Its disk is gzip-compressed: DiskLens can read it only from start "
            + "to end, as a conversion does. Convert it, then open the copy to look inside.";

    /** {@code convert} opens the Convert dialog for a file (the toolbar's Convert…). */
    public ImagePane(ImageViewModel model, Consumer<Path> convert) {
        this.model = model;
        factories.put(Section.OVERVIEW, () -> new OverviewPane(model));
        factories.put(Section.ALLOCATION, () -> new AllocationPane(model.allocation()));
        factories.put(Section.FILE_LAYOUT, () -> new HostLayoutPane(model.hostLayout()));
        factories.put(Section.BACKING_CHAIN, () -> new BackingChainPane(model.backingChain()));
        factories.put(Section.PARTITIONS, () -> new PartitionsPane(model.partitions()));
        factories.put(Section.FILES, () -> new FilesPane(model.files()));
        factories.put(Section.SNAPSHOTS, () -> new SnapshotsPane(model));
        factories.put(Section.HEADER, () -> new HeaderPane(model));
        factories.put(Section.CHECK, () -> new CheckPane(model.check()));

        VBox sidebar = new VBox(Views.label("SECTIONS", "sidebar-title"));
        sidebar.getStyleClass().add("sidebar");
        for (Section section : Section.values()) {
            ToggleButton button = new ToggleButton(section.title, Views.icon(section.icon));
            button.setId("section-" + section.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            button.setToggleGroup(group);
            button.setMaxWidth(Double.MAX_VALUE);
            button.setOnAction(event -> show(section));
            buttons.put(section, button);
            sidebar.getChildren().add(button);
        }
        // Arrow keys choose the section at once, as in any list: no highlight that looks chosen but is not.
        sidebar.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            int step = event.getCode() == KeyCode.DOWN ? 1 : event.getCode() == KeyCode.UP ? -1 : 0;
            if (step != 0) {
                int next = Math.floorMod(current().ordinal() + step, Section.values().length);
                show(Section.values()[next]);
                buttons.get(Section.values()[next]).requestFocus();
                event.consume();
            }
        });
        ready.setLeft(sidebar);
        show(Section.OVERVIEW);

        getChildren().add(ready);
        ready.visibleProperty().bind(model.statusProperty().isEqualTo(ImageViewModel.Status.READY));
        // The spinner and the failure page are built the first time they are shown: most images never fail, and one
        // opened while the window started is ready before its tab is first drawn. The spinner waits for the events
        // in hand (a tab is made loading, then made ready at once when its image was opened early).
        model.statusProperty().subscribe(status -> {
            if (status == ImageViewModel.Status.LOADING && loading == null) {
                Platform.runLater(() -> {
                    if (model.status() == ImageViewModel.Status.LOADING && loading == null) {
                        loading = addPage(loadingPage(), ImageViewModel.Status.LOADING);
                    }
                });
            } else if (status == ImageViewModel.Status.FAILED && failed == null) {
                failed = addPage(failedPage(convert), status);
            }
        });
        model.passphraseRequestProperty().addListener((observed, old, request) -> ask(request));
    }

    private Node addPage(Node page, ImageViewModel.Status shownWhile) {
        page.visibleProperty().bind(model.statusProperty().isEqualTo(shownWhile));
        getChildren().add(page);
        return page;
    }

    private Node loadingPage() {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setMaxSize(48, 48);
        Label opening = Views.label("", "muted");
        opening.textProperty().bind(model.titleProperty().map(title -> "Opening " + title + "…"));
        VBox page = new VBox(12, spinner, opening);
        page.getStyleClass().add("empty-state");
        return page;
    }

    /** Why the image could not be opened, in words, and what can be done: try again, or convert it. */
    private Node failedPage(Consumer<Path> convert) {
        Label problemTitle = Views.label("", "problem-title");
        problemTitle.setId("image-problem-title");
        problemTitle.textProperty().bind(model.titleProperty().map(title -> "Could not open " + title));
        Label problem = Views.label("", "problem-text");
        problem.setId("image-problem");
        problem.textProperty().bind(javafx.beans.binding.Bindings.when(model.convertibleOnlyProperty())
                .then(CONVERTIBLE_ONLY).otherwise(model.problemProperty()));
        // The engine's line stays at hand, muted: it names the file's disk and the command line's conversion.
        Label detail = Views.label("", "problem-detail");
        detail.setId("image-problem-detail");
        detail.textProperty().bind(model.problemProperty());
        Tooltip original = new Tooltip();
        original.textProperty().bind(model.problemProperty());
        original.setWrapText(true);
        original.setMaxWidth(640);
        problem.tooltipProperty().bind(model.convertibleOnlyProperty().map(only -> only ? original : null));
        Button convertIt = new Button("Convert…", Views.icon("mdi2f-file-swap-outline"));
        convertIt.setId("image-problem-convert");
        convertIt.setOnAction(event -> convert.accept(model.path()));
        for (Node shownOnlyThen : new Node[] {detail, convertIt}) {
            shownOnlyThen.visibleProperty().bind(model.convertibleOnlyProperty());
            shownOnlyThen.managedProperty().bind(model.convertibleOnlyProperty());
        }
        convertIt.defaultButtonProperty().bind(model.convertibleOnlyProperty());
        Button retry = new Button("Try again", Views.icon("mdi2r-refresh"));
        retry.setOnAction(event -> model.reload());
        HBox actions = new HBox(8, convertIt, retry);
        VBox page = new VBox(Views.icon("mdi2a-alert-circle"), problemTitle, problem, detail, actions);
        page.getStyleClass().add("problem-pane");
        return page;
    }

    private PassphraseDialog asking;

    /** Shows the passphrase the tab asks for (and takes the dialog away when the question is withdrawn). */
    private void ask(org.disklens.gui.model.PassphraseRequest request) {
        if (asking != null && asking.request() != request) {
            PassphraseDialog previous = asking;
            asking = null;
            previous.close();
        }
        if (request == null || request.isAnswered()) {
            return;
        }
        asking = new PassphraseDialog(getScene() == null ? null : getScene().getWindow(), request);
        asking.show();
    }

    /** Shows a section, building it the first time. */
    public void show(Section section) {
        Node node = built.computeIfAbsent(section, key -> factories.get(key).get());
        ready.setCenter(node);
        buttons.get(section).setSelected(true);
        shown = section;
    }

    /** The section shown. */
    public Section current() {
        return shown;
    }

    public ImageViewModel model() {
        return model;
    }
}

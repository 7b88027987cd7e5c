package org.disklens.gui.view;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.BackingChainViewModel;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.OpenedImage;
import org.disklens.image.Units;

/**
 * The backing chain as a graph from the top layer down to the base: a card per layer with its sizes and
 * the share of the guest view it provides, arrows for "backed by", and a broken link drawn as a dashed card
 * that says what was looked for and why it was not used.
 */
final class BackingChainPane extends ScrollPane {
    private final BackingChainViewModel model;
    private final VBox graph = new VBox(4);

    BackingChainPane(BackingChainViewModel model) {
        this.model = model;
        graph.setId("chain-graph");
        graph.setAlignment(Pos.TOP_LEFT);
        model.layers().addListener((ListChangeListener<BackingChainViewModel.Layer>) change -> redraw());
        model.brokenProperty().addListener((observable, old, broken) -> redraw());
        Label unprovided = Views.label("", "muted");
        unprovided.textProperty().bind(model.unprovidedTextProperty());
        VBox content = new VBox(Views.heading("Backing chain", Views.label(
                "Top to base: each layer holds what it changed; reads fall through to the layer below.",
                "section-subtitle")), graph, unprovided);
        content.getStyleClass().add("section");
        setContent(content);
        setFitToWidth(true);
        redraw();
    }

    private void redraw() {
        graph.getChildren().clear();
        long largest = model.layers().stream().mapToLong(BackingChainViewModel.Layer::provided).max().orElse(0);
        for (BackingChainViewModel.Layer layer : model.layers()) {
            if (layer.depth() > 0) {
                graph.getChildren().add(arrow("backed by " + layer.fileName()));
            }
            graph.getChildren().add(card(layer, largest));
        }
        OpenedImage.Broken broken = model.brokenProperty().get();
        if (broken != null) {
            graph.getChildren().add(arrow("backed by " + broken.reference()));
            graph.getChildren().add(brokenCard(broken));
        }
    }

    private static HBox arrow(String text) {
        HBox arrow = Views.row(8, Views.icon("mdi2a-arrow-down"), Views.label(text, "muted"));
        arrow.getStyleClass().add("chain-arrow");
        arrow.setPadding(new javafx.geometry.Insets(0, 0, 0, 26));
        return arrow;
    }

    private static VBox card(BackingChainViewModel.Layer layer, long largest) {
        Label role = Views.label(layer.role().toUpperCase(java.util.Locale.ROOT) + " · " + layer.format(), "layer-role");
        Label name = Views.label(layer.fileName(), "layer-name");
        Label path = Views.label(layer.path().toString(), "muted");
        Label sizes = Views.label("Virtual %s · file %s · on disk %s".formatted(Units.size(layer.virtualSize()),
                Units.size(layer.fileSize()), Units.size(layer.allocatedBytes())), "fact-value");
        Region fill = new Region();
        fill.setStyle("-fx-background-color: " + Palette.css(Palette.layer(layer.depth())) + "; -fx-background-radius: 4;");
        StackPane track = new StackPane(fill);
        track.getStyleClass().add("share-track");
        StackPane.setAlignment(fill, Pos.CENTER_LEFT);
        double share = largest > 0 && layer.provided() > 0 ? Math.max(0.02, (double) layer.provided() / largest) : 0;
        fill.maxWidthProperty().bind(track.widthProperty().multiply(share));
        Label provided = Views.label(layer.providedText(), "fact-value");
        provided.setId("chain-provided-" + layer.depth());
        VBox card = new VBox(role, name, path, sizes, track, provided);
        card.getStyleClass().add("layer-card");
        card.setStyle("-fx-border-color: #e2e8f0 #e2e8f0 #e2e8f0 " + Palette.css(Palette.layer(layer.depth())) + ";");
        return card;
    }

    private static VBox brokenCard(OpenedImage.Broken broken) {
        Label role = Views.label("MISSING OR REFUSED BACKING FILE", "layer-role");
        Label name = Views.label(broken.reference(), "layer-name");
        Label reason = Views.label(broken.reason(), "fact-value");
        reason.setWrapText(true);
        reason.setId("chain-broken-reason");
        Label lookedFor = Views.label(broken.lookedFor().map(path -> "Looked for " + path)
                .orElse("Not a file name: DiskLens follows only files."), "mono");
        lookedFor.setWrapText(true);
        VBox card = new VBox(Views.row(8, Views.icon("mdi2l-link-variant-off"), role), name, reason, lookedFor);
        card.getStyleClass().add("broken-card");
        card.setId("chain-broken");
        return card;
    }
}

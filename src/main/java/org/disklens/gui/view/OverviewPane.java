package org.disklens.gui.view;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.GuestState;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.OverviewViewModel;

/** The overview: the thin-provisioning story, a bar of on-disk against virtual size, facts and flags. */
final class OverviewPane extends ScrollPane {

    OverviewPane(ImageViewModel image) {
        OverviewViewModel model = image.overview();
        Label headline = Views.label("", "headline");
        headline.setId("overview-headline");
        // A chain's headline is long ("… on disk (1.32 MiB with its backing chain), …"): it wraps, never cut.
        headline.setWrapText(true);
        headline.setMinHeight(Region.USE_PREF_SIZE);
        headline.textProperty().bind(model.headlineProperty());
        Label subtitle = Views.label("", "section-subtitle");
        subtitle.setId("overview-subtitle");
        subtitle.textProperty().bind(model.subtitleProperty());

        Region fill = new Region();
        fill.getStyleClass().add("usage-fill");
        StackPane track = new StackPane(fill);
        track.getStyleClass().add("usage-track");
        StackPane.setAlignment(fill, javafx.geometry.Pos.CENTER_LEFT);
        fill.maxWidthProperty().bind(track.widthProperty().multiply(model.allocatedShareProperty()));
        fill.prefWidthProperty().bind(fill.maxWidthProperty());
        Label reclaimable = Views.label("", "reclaimable");
        reclaimable.setId("overview-reclaimable");
        reclaimable.setWrapText(true);
        reclaimable.textProperty().bind(model.reclaimableProperty());
        reclaimable.visibleProperty().bind(model.reclaimableProperty().isNotEmpty());
        reclaimable.managedProperty().bind(reclaimable.visibleProperty());
        Label scale = Views.label("The bar is the virtual disk; blue is what the image takes on the host.", "muted");
        VBox story = Views.card(null, headline, subtitle, reclaimable, track, scale);
        story.setSpacing(10);

        GridPane facts = grid();
        facts.setId("overview-facts");
        fill(facts, model.facts(), false);
        GridPane guest = grid();
        guest.setId("overview-guest-view");
        fill(guest, model.guestView(), true);
        FlowPane flags = new FlowPane(6, 6);
        flags.setId("overview-flags");
        model.flags().addListener((ListChangeListener<OverviewViewModel.Flag>) change -> showFlags(flags, model));
        showFlags(flags, model);

        VBox left = Views.card("Facts", facts);
        VBox right = Views.card("Where the guest view comes from", guest);
        VBox flagsCard = Views.card("Features and flags", flags);
        flagsCard.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.flags()));
        flagsCard.managedProperty().bind(flagsCard.visibleProperty());
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        left.setPrefWidth(420);
        right.setPrefWidth(360);
        VBox rightColumn = new VBox(14, right, flagsCard);
        HBox.setHgrow(rightColumn, Priority.ALWAYS);
        HBox columns = new HBox(14, left, rightColumn);

        GridPane details = grid();
        fill(details, model.details(), false);
        VBox detailsCard = Views.card("Details", details);
        detailsCard.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(model.details()));
        detailsCard.managedProperty().bind(detailsCard.visibleProperty());

        AllocationStrip strip = new AllocationStrip();
        strip.setId("overview-strip");
        image.allocation().wholeDiskProperty().addListener((observable, old, summary) -> strip.setSummary(summary));
        strip.setSummary(image.allocation().wholeDiskProperty().get());
        Label stripScale = Views.label("", "muted");
        stripScale.textProperty().bind(model.headlineProperty().map(text -> "0 … " + text.split(" disk")[0]
                + " — coloured where the image stores or decides something (see Allocation map for detail)"));
        HostUseBar fileBar = new HostUseBar();
        image.hostLayout().layoutProperty().addListener((observable, old, layout) -> fileBar.setLayout(layout));
        fileBar.setLayout(image.hostLayout().layoutProperty().get());
        Label fileText = Views.label("", "muted");
        fileText.setWrapText(true);
        fileText.textProperty().bind(image.hostLayout().explanationProperty());
        VBox glance = Views.card("At a glance", Views.label("The guest disk", "fact-label"), strip, stripScale,
                Views.label("The image file", "fact-label"), fileBar, fileText);

        VBox warnings = new VBox(10);
        warnings.setId("overview-warnings");
        model.warnings().addListener((ListChangeListener<OverviewViewModel.Warning>) change -> showWarnings(warnings, model));
        showWarnings(warnings, model);

        VBox content = new VBox(warnings, story, glance, columns, detailsCard);
        content.getStyleClass().add("section");
        setContent(content);
        setFitToWidth(true);
        getStyleClass().add("edge-to-edge");
    }

    private static GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().setAll(labels, values);
        return grid;
    }

    /** Keeps a two-column grid in step with a list of facts; {@code coloured} adds the palette's swatches. */
    private static void fill(GridPane grid, ObservableList<OverviewViewModel.Fact> facts, boolean coloured) {
        Runnable redraw = () -> {
            grid.getChildren().clear();
            for (int row = 0; row < facts.size(); row++) {
                OverviewViewModel.Fact fact = facts.get(row);
                Label name = Views.label(fact.label(), "fact-label");
                Label value = Views.label(fact.value(), "fact-value");
                Copying.fact(fact.label(), value);
                if (coloured) {
                    // Short values ("9.77 MiB (100 %)") keep to one line; the column gives them the room.
                    value.setMinWidth(Region.USE_PREF_SIZE);
                    grid.add(Views.legendItem(colourOf(row, fact.label()), fact.label()), 0, row);
                } else {
                    value.setWrapText(true);
                    grid.add(name, 0, row);
                }
                grid.add(value, 1, row);
            }
        };
        facts.addListener((ListChangeListener<OverviewViewModel.Fact>) change -> redraw.run());
        redraw.run();
    }

    /** The swatch of a row of "Where the guest view comes from": a state's colour, else the layer's (rows in order). */
    private static javafx.scene.paint.Color colourOf(int row, String label) {
        for (GuestState state : GuestState.values()) {
            if (state.label().equals(label)) {
                return Palette.state(state);
            }
        }
        return Palette.layer(row);
    }

    /** A card per warning, at the top: title, plain words, and the technical reason in small print. */
    private static void showWarnings(VBox pane, OverviewViewModel model) {
        pane.getChildren().clear();
        for (OverviewViewModel.Warning warning : model.warnings()) {
            String[] parts = warning.text().split("\nReason: ", 2);
            Label title = Views.label(warning.title(), "warning-title");
            Label text = Views.label(parts[0], "warning-body");
            text.setWrapText(true);
            VBox card = new VBox(4, Views.row(8, Views.icon("mdi2a-alert-outline"), title), text);
            if (parts.length > 1) {
                Label reason = Views.label(parts[1], "mono", "muted");
                reason.setWrapText(true);
                Copying.fact("Reason", reason);
                card.getChildren().add(reason);
            }
            card.getStyleClass().add("warning-card");
            pane.getChildren().add(card);
        }
        pane.setVisible(!model.warnings().isEmpty());
        pane.setManaged(pane.isVisible());
    }

    private static void showFlags(FlowPane pane, OverviewViewModel model) {
        pane.getChildren().clear();
        for (OverviewViewModel.Flag flag : model.flags()) {
            Label chip = Views.label(flag.name() + ": " + flag.value(), "flag",
                    "flag-" + flag.tone().name().toLowerCase(java.util.Locale.ROOT));
            pane.getChildren().add(chip);
        }
    }
}

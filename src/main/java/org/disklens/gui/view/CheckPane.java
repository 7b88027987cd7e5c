package org.disklens.gui.view;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.disklens.gui.model.CheckViewModel;
import org.kordamp.ikonli.javafx.FontIcon;

/** The consistency check: run it, watch it, read the verdict and qemu-img's messages. */
final class CheckPane extends VBox {

    CheckPane(CheckViewModel model) {
        Button run = new Button("Run check", Views.icon("mdi2s-stethoscope"));
        run.setId("check-run");
        run.setDefaultButton(true);
        run.setOnAction(event -> model.run());
        run.disableProperty().bind(model.outcomeProperty().isEqualTo(CheckViewModel.Outcome.RUNNING));
        Button cancel = new Button("Cancel");
        cancel.setOnAction(event -> model.cancel());
        cancel.visibleProperty().bind(model.outcomeProperty().isEqualTo(CheckViewModel.Outcome.RUNNING));
        ProgressBar progress = new ProgressBar();
        progress.setPrefWidth(200);
        progress.visibleProperty().bind(cancel.visibleProperty());
        model.jobProperty().addListener((observable, old, job) -> {
            progress.progressProperty().unbind();
            if (job != null) {
                progress.progressProperty().bind(job.progressProperty());
            }
        });

        FontIcon verdictIcon = Views.icon("mdi2s-shield-check-outline");
        verdictIcon.setIconSize(26);
        Label summary = Views.label("");
        summary.setId("check-summary");
        summary.textProperty().bind(model.summaryProperty());
        HBox verdict = new HBox(verdictIcon, summary);
        verdict.getStyleClass().addAll("verdict", "verdict-neutral");
        model.outcomeProperty().addListener((observable, old, outcome) -> style(verdict, verdictIcon, outcome));
        style(verdict, verdictIcon, model.outcomeProperty().get());
        Label statistics = Views.label("", "muted");
        statistics.textProperty().bind(model.statisticsProperty());

        ListView<String> messages = new ListView<>(model.messages());
        messages.setPlaceholder(new Label("No messages."));
        messages.getStyleClass().add("mono");
        VBox.setVgrow(messages, Priority.ALWAYS);

        Label subtitle = Views.label("", "section-subtitle");
        subtitle.setId("check-description");
        subtitle.setWrapText(true);
        subtitle.textProperty().bind(model.descriptionProperty());
        getChildren().addAll(Views.heading("Consistency check", subtitle),
                Views.row(10, run, cancel, progress), verdict, statistics, messages);
        getStyleClass().add("section");
    }

    private static void style(HBox verdict, FontIcon icon, CheckViewModel.Outcome outcome) {
        verdict.getStyleClass().removeAll("verdict-clean", "verdict-leaks", "verdict-corrupt", "verdict-neutral");
        verdict.setVisible(outcome != CheckViewModel.Outcome.NOT_RUN);
        switch (outcome) {
            case CLEAN -> {
                verdict.getStyleClass().add("verdict-clean");
                icon.setIconLiteral("mdi2s-shield-check-outline");
                icon.setIconColor(javafx.scene.paint.Color.web("#15803d"));
            }
            case LEAKS -> {
                verdict.getStyleClass().add("verdict-leaks");
                icon.setIconLiteral("mdi2a-alert-outline");
                icon.setIconColor(javafx.scene.paint.Color.web("#b45309"));
            }
            case CORRUPT, FAILED -> {
                verdict.getStyleClass().add("verdict-corrupt");
                icon.setIconLiteral("mdi2a-alert-circle");
                icon.setIconColor(javafx.scene.paint.Color.web("#b91c1c"));
            }
            default -> {
                verdict.getStyleClass().add("verdict-neutral");
                icon.setIconLiteral("mdi2i-information-outline");
                icon.setIconColor(javafx.scene.paint.Color.web("#475569"));
            }
        }
    }
}

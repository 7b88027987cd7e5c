package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.stage.Stage;
import org.disklens.content.FileEntry;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * What is inside an image, in the window: the sample ISO browsed in the Files section (a folder opened, a
 * file prepared for dragging out and extracted), and the sample GPT disk's partitions listed and drawn.
 */
@ExtendWith(ApplicationExtension.class)
class ContentsWindowTest {
    @TempDir
    Path dir;

    private MainViewModel model;
    private Services services;

    @Start
    void start(Stage stage) {
        services = GuiTesting.services(ConversionService.unavailable());
        model = DiskLensApp.show(stage, services, List.of(sample("sample.iso").toString(), sample("gpt-disk.raw").toString()));
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(model::shutdown);
        services.close();
    }

    private ImageViewModel opened(int index) {
        waitUntil(() -> model.images().size() == 2 && model.images().get(index).status() == ImageViewModel.Status.READY);
        return model.images().get(index);
    }

    @Test
    void anIsoIsBrowsedAndAFileExtracted(FxRobot robot) {
        ImageViewModel iso = opened(0);
        robot.interact(() -> model.selectedProperty().set(iso));
        robot.clickOn("#section-files");
        @SuppressWarnings("unchecked")
        TreeTableView<FileEntry> tree = robot.lookup("#files-tree").queryAs(TreeTableView.class);
        waitUntil(() -> tree.getRoot() != null && tree.getRoot().getChildren().size() > 1);
        List<String> top = tree.getRoot().getChildren().stream().map(item -> item.getValue().name()).toList();
        assertThat(top).contains("README.TXT", "docs", "tools");

        TreeItem<FileEntry> docs = tree.getRoot().getChildren().stream().filter(item -> item.getValue().name().equals("docs"))
                .findFirst().orElseThrow();
        robot.interact(() -> docs.setExpanded(true));
        waitUntil(() -> docs.getChildren().stream().anyMatch(item -> item.getValue() != null && item.getValue().name().equals("guides")));
        TreeItem<FileEntry> chapter = docs.getChildren().stream()
                .filter(item -> item.getValue().name().equals("chapter-2.txt")).findFirst().orElseThrow();
        robot.interact(() -> tree.getSelectionModel().select(chapter));
        waitUntil(() -> iso.files().draggableProperty().get() != null);
        assertThat(iso.files().draggableProperty().get()).hasFileName("chapter-2.txt").hasContent(seq(800));

        robot.interact(() -> iso.files().extract(chapter.getValue(), dir, false));
        waitUntil(() -> iso.files().statusProperty().get().startsWith("Extracted"));
        assertThat(dir.resolve("chapter-2.txt")).hasContent(seq(800));
    }

    @Test
    void aDisksPartitionsAreListedAndDrawnOverTheMap(FxRobot robot) {
        ImageViewModel disk = opened(1);
        robot.interact(() -> model.selectedProperty().set(disk));
        robot.clickOn("#section-partitions");
        TableView<?> table = robot.lookup("#partitions-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty());
        assertThat(disk.volumes()).isNotEmpty();
        assertThat(disk.volumes().getFirst().partition().orElseThrow().scheme()).isEqualTo("gpt");
        assertThat(disk.volumes().getFirst().filesystem()).isPresent();
        assertThat(disk.allocation().partitions()).hasSameSizeAs(disk.volumes());
    }

    @Test
    void aPartitionsFilesAreBrowsedAndAFileIsFollowedToTheMap(FxRobot robot) {
        ImageViewModel disk = opened(1);
        robot.interact(() -> model.selectedProperty().set(disk));
        robot.clickOn("#section-files");
        @SuppressWarnings("unchecked")
        TreeTableView<FileEntry> tree = robot.lookup("#files-tree").queryAs(TreeTableView.class);
        waitUntil(() -> tree.getRoot() != null && !tree.getRoot().getChildren().isEmpty()
                && tree.getRoot().getChildren().getFirst().getValue() != null);
        TreeItem<FileEntry> hello = tree.getRoot().getChildren().getFirst();
        assertThat(hello.getValue().path()).isEqualTo("/HELLO.TXT");
        robot.interact(() -> tree.getSelectionModel().select(hello));
        Label where = robot.lookup("#files-location").queryAs(Label.class);
        waitUntil(() -> !where.getText().isEmpty());
        assertThat(where.getText()).startsWith("Where it lives: 27 B in 1 run: 27 B in this image");
        TextArea preview = robot.lookup("#files-preview").queryAs(TextArea.class);
        waitUntil(() -> !preview.getText().isEmpty());
        assertThat(preview.getText()).isEqualTo(new String(org.disklens.testing.Cli.run("cat",
                sample("gpt-disk.raw").toString(), "/HELLO.TXT").bytes(), java.nio.charset.StandardCharsets.UTF_8));
        waitUntil(() -> disk.allocation().highlighted().size() == 1);
        var partition = disk.volumes().getFirst().partition().orElseThrow();
        assertThat(disk.allocation().highlighted().getFirst().start())
                .isBetween(partition.start(), partition.start() + partition.length());
    }

    private static String seq(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            text.append(i).append('\n');
        }
        return text.toString().strip();
    }
}

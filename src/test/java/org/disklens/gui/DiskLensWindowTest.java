package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.Formats;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.view.AllocationCanvas;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.disklens.image.Units;

/**
 * The real window, headless: opened with the bundled sample as its argument (as a double-click opens it),
 * then driven as a user would — dropping files, pointing at the map, switching sections.
 */
@ExtendWith(ApplicationExtension.class)
class DiskLensWindowTest {
    private static final Path THIN = sample("thin-with-backing.qcow2");

    @TempDir
    Path dir;

    private Stage stage;
    private MainViewModel model;
    private Services services;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        services = GuiTesting.services(ConversionService.unavailable());
        model = DiskLensApp.show(stage, services, List.of(THIN.toString()));
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(model::shutdown);
        services.close();
    }

    private ImageViewModel selected() {
        return model.selectedProperty().get();
    }

    private void waitReady() {
        waitUntil(() -> selected() != null && selected().status() != ImageViewModel.Status.LOADING
                && (selected().status() != ImageViewModel.Status.READY
                || selected().allocation().wholeDiskProperty().get() != null));
    }

    @Test
    void theImageGivenAsArgumentOpensWithQemuImgsNumbersInTheOverview(FxRobot robot) {
        waitReady();
        JsonNode info = Qemu.info(THIN.getParent(), THIN.getFileName().toString());
        long actual = info.get("actual-size").asLong();

        assertThat(stage.getTitle()).isEqualTo("DiskLens — thin-with-backing.qcow2");
        long chain = actual + Qemu.info(THIN.getParent(), "base.qcow2").get("actual-size").asLong();
        assertThat(robot.lookup("#overview-headline").queryAs(Label.class).getText())
                .isEqualTo("10 GiB disk, %s on disk (%s with its backing chain), %s allocated".formatted(
                        Units.size(actual), Units.size(chain), Units.percent(actual, info.get("virtual-size").asLong())));
        assertThat(robot.lookup("#overview-subtitle").queryAs(Label.class).getText())
                .isEqualTo("qcow2 (compat 1.1) · 16 KiB clusters · backed by base.qcow2");
        GridPane facts = robot.lookup("#overview-facts").queryAs(GridPane.class);
        assertThat(facts.getChildren()).extracting(node -> ((Label) node).getText())
                .contains("Virtual size", "10 GiB (10,737,418,240 bytes)", "Backing file", "base.qcow2 (qcow2)",
                        "Snapshots", "1 (before-update)", "Bitmaps", "1 (backup-incremental)");
        assertThat(robot.lookup("#overview-guest-view").queryAs(GridPane.class).getChildren())
                .anyMatch(node -> node instanceof Label label && label.getText().equals("10 GiB (100 %)"));
    }

    @Test
    void filesDroppedOnTheWindowOpenInTabsAndADroppedOpenFileIsRefreshed(FxRobot robot) {
        waitReady();
        Node tabs = robot.lookup("#image-tabs").query();

        boolean accepted = GuiTesting.dropFiles(robot, tabs, List.of(sample("gpt-disk.raw"), sample("base.qcow2")));

        assertThat(accepted).isTrue();
        waitUntil(() -> model.images().size() == 3 && model.images().stream()
                .allMatch(image -> image.status() == ImageViewModel.Status.READY));
        assertThat(model.images()).extracting(image -> image.titleProperty().get())
                .containsExactly("thin-with-backing.qcow2", "gpt-disk.raw", "base.qcow2");
        assertThat(stage.getTitle()).isEqualTo("DiskLens — base.qcow2");
        waitReady();
        assertThat(robot.lookup("#overview-headline").queryAs(Label.class).getText()).startsWith("10 GiB disk, ");

        GuiTesting.dropFiles(robot, robot.lookup("#image-tabs").query(), List.of(THIN));
        assertThat(model.images()).hasSize(3);
        assertThat(stage.getTitle()).isEqualTo("DiskLens — thin-with-backing.qcow2");
    }

    @Test
    void pointingAtTheMapTellsTheGuestRangeStateAndHostOffset(FxRobot robot) {
        waitReady();
        robot.clickOn("#section-allocation");
        AllocationCanvas canvas = robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class);
        waitUntil(() -> canvas.cellCount() > 0);
        int cell = canvas.firstAllocatedCell();
        assertThat(cell).isZero();

        double[] centre = canvas.centreOf(cell);
        robot.moveTo(canvas.localToScreen(centre[0], centre[1]));
        waitUntil(() -> !selected().allocation().hoverDetailProperty().get().isEmpty());

        String hover = robot.lookup("#hover-text").queryAs(Label.class).getText();
        assertThat(hover).startsWith("0 – ").contains("data in backing layer 1 (base.qcow2)")
                .contains("data in this image (thin-with-backing.qcow2)").contains("unallocated");
        // qemu-img map: the first 64 KiB come from base.qcow2, the next 64 KiB from the image itself.
        JsonNode map = Qemu.map(THIN.getParent(), THIN.getFileName().toString());
        String detail = robot.lookup("#hover-detail").queryAs(Label.class).getText();
        assertThat(detail).startsWith("0x0 – 0x10000: data in backing layer 1 (base.qcow2), host offset "
                + Units.hex(map.get(0).get("offset").asLong()) + "\n0x10000 – 0x20000: data in this image "
                + "(thin-with-backing.qcow2), host offset " + Units.hex(map.get(1).get("offset").asLong()));
    }

    @Test
    void doubleClickingACellZoomsInAndWholeDiskZoomsBackOut(FxRobot robot) {
        waitReady();
        robot.clickOn("#section-allocation");
        AllocationCanvas canvas = robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class);
        waitUntil(() -> canvas.cellCount() > 0);
        Label range = robot.lookup("#allocation-range").queryAs(Label.class);
        assertThat(range.getText()).startsWith("Whole disk, 10 GiB");

        double[] centre = canvas.centreOf(canvas.firstAllocatedCell());
        robot.moveTo(canvas.localToScreen(centre[0], centre[1])).doubleClickOn(javafx.scene.input.MouseButton.PRIMARY);
        waitUntil(() -> selected().allocation().zoomedProperty().get());

        assertThat(range.getText()).startsWith("0 – 2.5 GiB of 10 GiB");
        robot.clickOn("#allocation-whole-disk");
        waitUntil(() -> !selected().allocation().zoomedProperty().get());
        assertThat(range.getText()).startsWith("Whole disk, 10 GiB");
    }

    @Test
    void anImageThatCannotBeReadShowsWhyInItsOwnPane(FxRobot robot) throws IOException {
        waitReady();
        Path broken = Files.copy(THIN, dir.resolve("broken.qcow2"));
        try (FileChannel file = FileChannel.open(broken, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 9}), 4); // version 9
        }

        GuiTesting.dropFiles(robot, robot.lookup("#image-tabs").query(), List.of(broken));
        waitUntil(() -> selected().status() == ImageViewModel.Status.FAILED);

        Label problem = robot.lookup("#image-problem").queryAs(Label.class);
        assertThat(problem.isVisible()).isTrue();
        assertThat(problem.getText()).isEqualTo("qcow2: header at 0x4: unsupported version 9 (known: 2, 3)");
        assertThat(model.images()).hasSize(2);
    }

    @Test
    void aMissingBackingFileIsDrawnAsABrokenLinkWithTheFileItLookedFor(FxRobot robot) throws IOException {
        waitReady();
        Files.copy(THIN, dir.resolve("orphan.qcow2"));
        robot.interact(() -> model.open(List.of(dir.resolve("orphan.qcow2"))));
        waitReady();

        robot.clickOn("#section-backing-chain");

        Path lookedFor = dir.toRealPath().resolve("base.qcow2");
        Label reason = robot.lookup("#chain-broken-reason").queryAs(Label.class);
        assertThat(reason.getText()).contains("backing file 'base.qcow2' not found");
        assertThat(robot.lookup("#chain-broken").queryAs(javafx.scene.layout.VBox.class).getChildren())
                .anyMatch(node -> node instanceof Label label
                        && label.getText().equals("Looked for " + lookedFor));
    }
}

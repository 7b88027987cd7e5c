package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.ProgressIndicator;
import javafx.stage.Stage;
import org.disklens.gui.model.EarlyOpen;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.view.MainView;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * What the window's start does, and leaves for later (issue 20, item 20). A launch's images are opened while the
 * toolkit starts: one whose opening has ended by the time the window is built is in the window's first frame, shown
 * by the tab without a spinner and without a round through the background; one that could not be opened shows its
 * failure page at once. Tooltips are made when the pointer first enters their node, and still show.
 */
@ExtendWith(ApplicationExtension.class)
class WindowStartTest {
    @TempDir
    Path dir;

    private final Services services = GuiTesting.services(new EngineConversions());
    private Stage stage;
    private MainViewModel model;

    @Start
    void start(Stage primary) {
        // Each test builds its own window, as the app does, after its images were opened early.
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(() -> {
            model.shutdown();
            stage.hide();
        });
        services.close();
    }

    /** The window as {@code DiskLensApp} builds it on {@code file}, once its early opening has ended. */
    private ImageViewModel launchedOn(FxRobot robot, Path file) {
        EarlyOpen.start(List.of(file));
        waitUntil(() -> EarlyOpen.isDone(file));
        ImageViewModel[] image = new ImageViewModel[1];
        ImageViewModel.Status[] statusWhenShown = new ImageViewModel.Status[1];
        robot.interact(() -> {
            stage = new Stage();
            model = DiskLensApp.show(stage, services, List.of(file.toString()));
            image[0] = model.selectedProperty().get();
            statusWhenShown[0] = image[0].status();
        });
        assertThat(statusWhenShown[0]).as("status as the window is first shown").isNotEqualTo(ImageViewModel.Status.LOADING);
        return image[0];
    }

    @Test
    void anImageOpenedWhileTheToolkitStartedIsReadyInTheFirstFrameWithoutASpinner(FxRobot robot) {
        Qemu.require();
        Path file = Qemu.create(dir, "early.qcow2", "qcow2", "", "16T");

        ImageViewModel image = launchedOn(robot, file);

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(image.openedProperty().get().top().virtualSize()).isEqualTo(16L << 40);
        MainView view = (MainView) stage.getScene().getRoot();
        assertThat(view.selectedPane().lookupAll(".progress-indicator")).isEmpty();
        assertThat(robot.lookup(".progress-indicator").queryAllAs(ProgressIndicator.class)).isEmpty();
    }

    @Test
    void anImageThatCouldNotBeOpenedEarlyShowsItsFailurePageAtOnce(FxRobot robot) throws IOException {
        Qemu.require();
        Path file = Qemu.create(dir, "version-99.qcow2", "qcow2", "", "64M");
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(4);
            raw.writeInt(99);  // the header's version: no qcow2 reader accepts it
        }

        ImageViewModel image = launchedOn(robot, file);

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.FAILED);
        assertThat(image.problemProperty().get()).contains("version").contains("99");
        assertThat(robot.lookup("#image-problem-title").queryLabeled().getText()).isEqualTo("Could not open version-99.qcow2");
    }

    @Test
    void aToolbarButtonsTooltipIsMadeOnTheFirstHoverAndShows(FxRobot robot) {
        Qemu.require();
        launchedOn(robot, Qemu.create(dir, "hover.qcow2", "qcow2", "", "1G"));
        Button open = robot.lookup(".tool-bar .button").lookup((Button button) -> "Open".equals(button.getText()))
                .queryButton();
        assertThat(open.getTooltip()).as("before any hover").isNull();

        robot.moveTo(open).moveBy(2, 1);
        waitUntil(() -> open.getTooltip() != null && open.getTooltip().isShowing());
        assertThat(open.getTooltip().getText()).isEqualTo("Open disk images (Ctrl+O)");
    }
}

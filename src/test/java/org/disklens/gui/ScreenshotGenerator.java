package org.disklens.gui;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.model.RecentFiles;
import org.disklens.gui.task.FxTaskRunner;
import org.disklens.gui.task.Job;
import org.disklens.gui.view.AllocationCanvas;
import org.disklens.gui.view.ImagePane;
import org.disklens.gui.view.MainView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Renders the README's screenshots from the sample images with the real window, headless, into
 * {@code screenshots/}. Runs only when asked:
 * {@code mvn -q test -Dtest=ScreenshotGenerator -Ddisklens.screenshots=true}.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "disklens.screenshots", matches = "true")
class ScreenshotGenerator {
    private static final Path PROJECT = Path.of(System.getProperty("disklens.project.dir", "."));
    private static final Path SAMPLES = PROJECT.resolve("resources/samples");
    private static final Path OUT = PROJECT.resolve("screenshots");

    private Stage stage;
    private MainViewModel model;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Services services = new Services(new FxTaskRunner("shots-inspect", 2), new FxTaskRunner("shots-convert", 1),
                new FxTaskRunner("shots-measure", 1), RecentFiles.Store.inMemory(), ConversionService.unavailable());
        model = DiskLensApp.show(stage, services, List.of());
        stage.setWidth(1280);
        stage.setHeight(820);
    }

    @Test
    void renderScreenshots(FxRobot robot) throws Exception {
        Files.createDirectories(OUT);
        robot.interact(() -> model.open(List.of(SAMPLES.resolve("thin-with-backing.qcow2"))));
        ImageViewModel image = model.selectedProperty().get();
        waitUntil(() -> image.status() == ImageViewModel.Status.READY
                && image.allocation().wholeDiskProperty().get() != null);

        section(robot, ImagePane.Section.OVERVIEW);
        shoot("overview");

        section(robot, ImagePane.Section.ALLOCATION);
        AllocationCanvas canvas = robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class);
        robot.interact(() -> { });
        int cell = canvas.firstAllocatedCell();
        double[] centre = canvas.centreOf(Math.max(0, cell));
        robot.moveTo(canvas.localToScreen(centre[0], centre[1]));
        waitUntil(() -> !image.allocation().hoverDetailProperty().get().isEmpty());
        shoot("allocation-map");

        section(robot, ImagePane.Section.FILE_LAYOUT);
        waitUntil(() -> image.hostLayout().layoutProperty().get() != null);
        shoot("file-layout");

        section(robot, ImagePane.Section.BACKING_CHAIN);
        shoot("backing-chain");

        section(robot, ImagePane.Section.HEADER);
        shoot("header");

        section(robot, ImagePane.Section.CHECK);
        robot.interact(() -> image.check().run());
        waitUntil(() -> image.check().jobProperty().get() != null
                && image.check().jobProperty().get().state() != Job.State.RUNNING);
        shoot("check");
    }

    private void section(FxRobot robot, ImagePane.Section section) {
        robot.interact(() -> ((MainView) stage.getScene().getRoot()).selectedPane().show(section));
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void waitUntil(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void shoot(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> stage.getScene().snapshot(null)).get();
        BufferedImage buffered = SwingFXUtils.fromFXImage(image, null);
        ImageIO.write(buffered, "png", OUT.resolve(name + ".png").toFile());
    }
}

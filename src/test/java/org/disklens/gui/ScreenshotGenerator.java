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
                new FxTaskRunner("shots-measure", 1), RecentFiles.Store.inMemory(), new EngineConversions());
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

        shootIsoBrowser(robot);
        shootPartitions(robot);
        shootConversion(robot);
    }

    private void shootIsoBrowser(FxRobot robot) throws Exception {
        robot.interact(() -> model.open(List.of(SAMPLES.resolve("sample.iso"))));
        ImageViewModel iso = model.selectedProperty().get();
        waitUntil(() -> iso.status() == ImageViewModel.Status.READY && iso.files().rootProperty().get() != null);
        section(robot, ImagePane.Section.FILES);
        @SuppressWarnings("unchecked")
        javafx.scene.control.TreeTableView<org.disklens.content.FileEntry> tree =
                robot.lookup("#files-tree").queryAs(javafx.scene.control.TreeTableView.class);
        waitUntil(() -> tree.getRoot() != null && tree.getRoot().getChildren().size() > 1);
        for (String folder : new String[] {"docs", "tools"}) {
            var item = tree.getRoot().getChildren().stream().filter(child -> child.getValue().name().equals(folder)).findFirst().orElseThrow();
            robot.interact(() -> item.setExpanded(true));
            waitUntil(() -> item.getChildren().stream().allMatch(child -> child.getValue() != null));
        }
        var docs = tree.getRoot().getChildren().stream().filter(child -> child.getValue().name().equals("docs")).findFirst().orElseThrow();
        robot.interact(() -> tree.getSelectionModel().select(docs.getChildren().get(1)));
        shoot("iso-browser");
    }

    private void shootPartitions(FxRobot robot) throws Exception {
        robot.interact(() -> model.open(List.of(SAMPLES.resolve("gpt-disk.raw"))));
        ImageViewModel disk = model.selectedProperty().get();
        waitUntil(() -> disk.status() == ImageViewModel.Status.READY && disk.allocation().wholeDiskProperty().get() != null);
        section(robot, ImagePane.Section.PARTITIONS);
        shoot("partitions");
    }

    /** A conversion the engine really runs, photographed half-way: a large random disk compressed into qcow2. */
    private void shootConversion(FxRobot robot) throws Exception {
        Path work = Files.createTempDirectory("disklens-shots");
        Path source = work.resolve("database-disk.raw");
        try (var channel = java.nio.channels.FileChannel.open(source, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[1 << 20];
            java.util.Random random = new java.util.Random(9);
            for (int i = 0; i < 1024; i++) {
                random.nextBytes(chunk);
                channel.write(java.nio.ByteBuffer.wrap(chunk));
            }
        }
        var preset = model.conversions().request(source).presets().getFirst();
        robot.interact(() -> model.conversions().start(source, new org.disklens.gui.model.ConversionService.Choice(preset,
                false), work.resolve("database-disk.qcow2"), false));
        var job = model.conversions().jobs().getLast();
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> job.progressProperty().get() > 0.25);
        WaitForAsyncUtils.waitForFxEvents();
        shoot("conversion");
        robot.interact(() -> model.conversions().cancelAll());
        waitUntil(() -> job.status() != org.disklens.gui.model.ConversionJobViewModel.Status.RUNNING);
        try (var files = Files.list(work)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(work);
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

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
        shootSparseRaw(robot);
        shootDamaged(robot);
        shootGuestFreedSpace(robot);
        shootConvertDialog(robot);
        shootConversion(robot);
    }

    /** A 20 GiB sparse raw holding a few MiB: its data drawn where it is, its holes as nothing stored. */
    private void shootSparseRaw(FxRobot robot) throws Exception {
        Path work = Files.createTempDirectory("disklens-shots");
        Path raw = work.resolve("thin-disk.raw");
        try (var channel = java.nio.channels.FileChannel.open(raw, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[1 << 20];
            java.util.Random random = new java.util.Random(3);
            for (long at : new long[] {0, 1L << 30, 7L << 30, 13L << 30, (20L << 30) - (4L << 20)}) {
                for (int i = 0; i < 4; i++) {
                    random.nextBytes(chunk);
                    channel.write(java.nio.ByteBuffer.wrap(chunk), at + ((long) i << 20));
                }
            }
        }
        ImageViewModel image = openAndWait(robot, raw);
        section(robot, ImagePane.Section.OVERVIEW);
        shoot("sparse-raw");
        section(robot, ImagePane.Section.ALLOCATION);
        waitUntil(() -> robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class).cellCount() > 0);
        shoot("sparse-raw-map");
        robot.interact(() -> model.close(image));
        deleteAll(work);
    }

    /** A qcow2 cut short by qemu-img's own layout: the warning at the top of the Overview. */
    private void shootDamaged(FxRobot robot) throws Exception {
        Path work = Files.createTempDirectory("disklens-shots");
        org.disklens.testing.Qemu.create(work, "cut-short.qcow2", "qcow2", "", "4G");
        org.disklens.testing.Qemu.io(work, "cut-short.qcow2", "qcow2", "write -P 1 0 1M", "write -P 2 3G 1M");
        long lost = -1;
        for (var entry : org.disklens.testing.Qemu.map(work, "cut-short.qcow2")) {
            if (entry.get("start").asLong() == 3L << 30) {
                lost = entry.get("offset").asLong() - 65536;
            }
        }
        try (var channel = java.nio.channels.FileChannel.open(work.resolve("cut-short.qcow2"),
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(lost);
        }
        ImageViewModel image = openAndWait(robot, work.resolve("cut-short.qcow2"));
        section(robot, ImagePane.Section.OVERVIEW);
        shoot("damaged");
        robot.interact(() -> model.close(image));
        deleteAll(work);
    }

    /** An ext4 guest whose deleted files still fill the image: the reclaimable space, told and drawn. */
    private void shootGuestFreedSpace(FxRobot robot) throws Exception {
        Path work = Files.createTempDirectory("disklens-shots");
        Path disk = org.disklens.testing.Guests.diskWithFreedExt4(work);
        ImageViewModel image = openAndWait(robot, disk);
        waitUntil(() -> !image.overview().reclaimableProperty().get().isEmpty());
        section(robot, ImagePane.Section.OVERVIEW);
        shoot("reclaimable");
        section(robot, ImagePane.Section.PARTITIONS);
        shoot("reclaimable-partitions");
        section(robot, ImagePane.Section.ALLOCATION);
        waitUntil(() -> robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class).cellCount() > 0);
        shoot("guest-freed-space");
        robot.interact(() -> model.close(image));
        deleteAll(work);
    }

    /** The Convert dialog with every label whole, the Shrink option and the estimate. */
    private void shootConvertDialog(FxRobot robot) throws Exception {
        Path source = SAMPLES.resolve("thin-with-backing.qcow2");
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source));
        javafx.scene.control.Label estimate = robot.lookup("#convert-estimate").queryAs(javafx.scene.control.Label.class);
        waitUntil(() -> !estimate.getText().isEmpty() && !estimate.getText().startsWith("Estimating"));
        javafx.scene.Scene dialog = estimate.getScene();
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> dialog.snapshot(null)).get();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", OUT.resolve("convert-dialog.png").toFile());
        robot.interact(() -> dialog.getWindow().hide());
    }

    private ImageViewModel openAndWait(FxRobot robot, Path file) throws Exception {
        robot.interact(() -> model.open(List.of(file)));
        ImageViewModel image = model.selectedProperty().get();
        waitUntil(() -> image.status() != ImageViewModel.Status.LOADING
                && image.allocation().wholeDiskProperty().get() != null);
        return image;
    }

    private static void deleteAll(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
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
        section(robot, ImagePane.Section.ALLOCATION);
        waitUntil(() -> robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class).cellCount() > 0);
        shoot("partitions-map");
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

package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.disklens.gui.model.ConversionEstimate;
import org.disklens.gui.model.ConversionJobViewModel;
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.MainViewModel;
import org.disklens.image.ProgressListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.util.WaitForAsyncUtils;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The conversion panel and dialog, driven through the window: drop an image on the Convert target, pick a
 * preset, start; watch the queue; cancel. The engine here copies the file in steps and can be held at a
 * step, so the test can look at a conversion while it runs.
 */
@ExtendWith(ApplicationExtension.class)
class ConversionWindowTest {
    private static final ConversionPreset COPY = new ConversionPreset("raw, sparse", "raw", false, Map.of(), "img",
            "the plain disk");

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;
    private MainViewModel model;
    private Services services;

    /** Counted down when a conversion of {@link #steppingCopy} returns or throws: its last report is sent by then. */
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * Copies the source in 8 steps; while {@code hold}, waits at step 4 until released or cancelled. Cancelled there,
     * it reports one more step before it stops, as a real engine's report in flight when the cancel comes does.
     */
    private final ConversionService steppingCopy = new ConversionService() {
        /** The engine's own presets after the test's: their names are what the dialog must show whole. */
        @Override
        public List<ConversionPreset> presets() {
            List<ConversionPreset> all = new java.util.ArrayList<>(List.of(COPY));
            all.addAll(new EngineConversions().presets());
            return all;
        }

        @Override
        public ConversionEstimate estimate(Path source, Choice choice, ProgressListener progress) throws IOException {
            return new ConversionEstimate(Files.size(source), Files.size(source), false);
        }

        @Override
        public List<String> convert(Path source, Choice choice, Path target, boolean replace, ProgressListener progress)
                throws IOException {
            byte[] bytes = Files.readAllBytes(source);
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try {
                for (int step = 1; step <= 8; step++) {
                    progress.checkCancelled();
                    Files.write(partial, java.util.Arrays.copyOf(bytes, bytes.length * step / 8));
                    progress.progress((long) bytes.length * step / 8, bytes.length);
                    while (hold && step == 4 && !progress.isCancelled()) {
                        waitBriefly();
                    }
                    if (hold && step == 4 && progress.isCancelled()) {
                        progress.progress((long) bytes.length * 5 / 8, bytes.length);
                    }
                }
                if (replace) {
                    Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.move(partial, target);
                }
            } finally {
                Files.deleteIfExists(partial);
                ended.countDown();
            }
            return List.of();
        }

        private void waitBriefly() {
            try {
                release.await(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    };

    @Start
    void start(Stage stage) {
        services = GuiTesting.services(steppingCopy);
        model = DiskLensApp.show(stage, services, List.of());
    }

    @AfterEach
    void stop(FxRobot robot) {
        release.countDown();
        robot.interact(model::shutdown);
        services.close();
    }

    @Test
    void droppingAnImageOnConvertAsksForAPresetShowsTheEstimateAndRunsIt(FxRobot robot) throws IOException {
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));

        assertThat(GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source))).isTrue();

        ComboBox<?> presets = robot.lookup("#convert-preset").queryAs(ComboBox.class);
        assertThat(presets.getValue()).isEqualTo(COPY);
        waitUntil(() -> robot.lookup("#convert-estimate").queryAs(Label.class).getText().startsWith("About"));
        TextField target = robot.lookup("#convert-target-path").queryAs(TextField.class);
        assertThat(target.getText()).isEqualTo(dir.resolve("base.img").toString());
        robot.clickOn("Start");

        waitUntil(() -> model.conversions().jobs().size() == 1
                && model.conversions().jobs().getFirst().status() == ConversionJobViewModel.Status.DONE);
        assertThat(dir.resolve("base.img")).hasSameBinaryContentAs(source);
        robot.clickOn("Open base.img");
        waitUntil(() -> model.images().size() == 1);
        assertThat(model.selectedProperty().get().titleProperty().get()).isEqualTo("base.img");
    }

    /** Item 5: with every preset, each label of the dialog shows whole. */
    @Test
    void theDialogNeverCutsItsLabelsShort(FxRobot robot) throws IOException {
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source));
        @SuppressWarnings("unchecked")
        ComboBox<ConversionPreset> presets = robot.lookup("#convert-preset").queryAs(ComboBox.class);
        javafx.scene.control.DialogPane pane = (javafx.scene.control.DialogPane) presets.getScene().getRoot();

        for (ConversionPreset preset : List.copyOf(presets.getItems())) {
            robot.interact(() -> presets.getSelectionModel().select(preset));
            WaitForAsyncUtils.waitForFxEvents();
            for (Label label : robot.from(pane).lookup(".label").queryAllAs(Label.class)) {
                if (label.isVisible() && !label.isWrapText() && !label.getText().isEmpty()) {
                    assertThat(shownText(label)).as("%s with %s", label.getText(), preset.name()).isEqualTo(label.getText());
                }
            }
            assertThat(shownText(robot.from(pane).lookup(".check-box").queryAs(javafx.scene.control.CheckBox.class)))
                    .isEqualTo("Shrink (drop space the guest has freed)");
        }
        robot.interact(() -> pane.getScene().getWindow().hide());
    }

    /** What a labelled control really draws: its text, or the text cut short with "…". */
    private static String shownText(javafx.scene.control.Labeled labeled) {
        javafx.scene.text.Text text = (javafx.scene.text.Text) labeled.lookup(".text");
        return text == null ? labeled.getText() : text.getText();
    }

    /** Item 6: a file already at the target is replaced only once the user ticks "Replace it". */
    @Test
    void anExistingTargetIsReplacedOnlyWhenTheUserSaysSo(FxRobot robot) throws IOException {
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));
        Files.writeString(dir.resolve("base.img"), "precious");
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source));
        javafx.scene.Node start = robot.lookup("Start").query();

        assertThat(robot.lookup("#convert-replace").queryAs(javafx.scene.control.CheckBox.class).isVisible()).isTrue();
        assertThat(start.isDisabled()).isTrue();
        robot.clickOn("#convert-replace");
        assertThat(start.isDisabled()).isFalse();
        robot.clickOn("Start");

        waitUntil(() -> model.conversions().jobs().size() == 1
                && model.conversions().jobs().getFirst().status() == ConversionJobViewModel.Status.DONE);
        assertThat(dir.resolve("base.img")).hasSameBinaryContentAs(source);
    }

    /** Item 8: the banner of a finished conversion sits under the tabs and offers the latest result. */
    @Test
    void theBannerOfAFinishedConversionOffersTheLatestResultBelowTheTabs(FxRobot robot) throws IOException {
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));
        robot.interact(() -> model.open(List.of(source)));
        robot.interact(() -> model.conversions().start(source, new ConversionService.Choice(COPY, false),
                dir.resolve("first.img"), false));
        waitUntil(() -> model.conversions().lastFinishedProperty().get() != null);
        robot.interact(() -> model.conversions().start(source, new ConversionService.Choice(COPY, false),
                dir.resolve("second.img"), false));
        waitUntil(() -> model.conversions().lastFinishedProperty().get() != null
                && model.conversions().lastFinishedProperty().get().target().endsWith("second.img"));

        javafx.scene.control.Button open = robot.lookup("#finished-open").queryAs(javafx.scene.control.Button.class);
        assertThat(open.getText()).isEqualTo("Open second.img");
        javafx.scene.Node banner = robot.lookup("#finished-banner").query();
        javafx.scene.Node tabs = robot.lookup("#image-tabs").query();
        assertThat(banner.localToScene(banner.getBoundsInLocal()).getMinY())
                .isGreaterThanOrEqualTo(tabs.localToScene(tabs.getBoundsInLocal()).getMaxY());
        robot.clickOn("#finished-open");
        waitUntil(() -> model.images().size() == 2);
        assertThat(model.selectedProperty().get().titleProperty().get()).isEqualTo("second.img");
        assertThat(banner.isVisible()).isFalse();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aRunningConversionShowsProgressAndCancellingLeavesNothing(FxRobot robot) throws IOException {
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));
        hold = true;
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source));
        robot.clickOn("Start");
        waitUntil(() -> !model.conversions().jobs().isEmpty()
                && model.conversions().jobs().getFirst().progressProperty().get() >= 0.5);
        ConversionJobViewModel job = model.conversions().jobs().getFirst();
        assertThat(job.status()).isEqualTo(ConversionJobViewModel.Status.RUNNING);
        assertThat(job.statusTextProperty().get()).endsWith(" of 720 KiB");

        robot.clickOn("Cancel");

        waitUntil(() -> job.status() == ConversionJobViewModel.Status.CANCELLED);
        // Item 7: the engine's last report arrives after the cancel (see steppingCopy); once it is in, the job is still
        // over and says so.
        assertThat(await(ended)).as("the cancelled conversion returned").isTrue();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(job.status()).isEqualTo(ConversionJobViewModel.Status.CANCELLED);
        assertThat(job.statusTextProperty().get()).isEqualTo("Cancelled; nothing was written");
        assertThat(job.speedTextProperty().get()).isEmpty();
        // Item 7: the row says Cancelled, and no bar, speed or time left stays behind.
        assertThat(robot.lookup("#conversion-status").queryAs(Label.class).getText())
                .isEqualTo("Cancelled; nothing was written");
        assertThat(robot.lookup("#conversion-jobs .progress-bar").<javafx.scene.Node>queryAll())
                .allSatisfy(bar -> assertThat(bar.isVisible()).isFalse());
        assertThat(robot.from(robot.lookup("#conversion-jobs").<javafx.scene.Node>query()).lookup(".label").queryAllAs(Label.class))
                .noneMatch(label -> label.getText().contains("left"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("base.qcow2");
        }
    }
}

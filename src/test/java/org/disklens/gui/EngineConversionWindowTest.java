package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import javafx.scene.control.ComboBox;
import javafx.stage.Stage;
import org.disklens.gui.model.ConversionJobViewModel;
import org.disklens.gui.model.ConversionPreset;
import org.disklens.gui.model.MainViewModel;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window with the real conversion engine (what the app ships): a drop onto Convert runs to the end and
 * qemu-img finds the result identical; a cancelled conversion leaves no file, not even a temporary one.
 */
@ExtendWith(ApplicationExtension.class)
class EngineConversionWindowTest {
    @TempDir
    Path dir;

    private MainViewModel model;
    private Services services;

    @Start
    void start(Stage stage) {
        services = GuiTesting.services(new EngineConversions());
        model = DiskLensApp.show(stage, services, List.of());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(model::shutdown);
        services.close();
    }

    @Test
    void aDroppedImageIsConvertedByTheEngineAndQemuImgAgrees(FxRobot robot) throws IOException {
        Qemu.require();
        Path source = Files.copy(sample("base.qcow2"), dir.resolve("base.qcow2"));
        assertThat(GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source))).isTrue();
        choose(robot, "raw, sparse");
        robot.clickOn("Start");
        waitUntil(() -> model.conversions().jobs().size() == 1
                && model.conversions().jobs().getFirst().status() == ConversionJobViewModel.Status.DONE);
        Tools.Result compare = Tools.exec(dir, "qemu-img", "compare", source.toString(), dir.resolve("base.img").toString());
        assertThat(compare.exitCode()).as(compare.out() + compare.err()).isZero();
    }

    @Test
    void cancellingARealConversionLeavesNothingBehind(FxRobot robot) throws IOException {
        Path source = dir.resolve("big.raw");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(5);
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 768; i++) {
                random.nextBytes(chunk);
                channel.write(java.nio.ByteBuffer.wrap(chunk));
            }
        }
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(source));
        choose(robot, "qcow2, compressed");
        robot.clickOn("Start");
        waitUntil(() -> !model.conversions().jobs().isEmpty()
                && model.conversions().jobs().getFirst().progressProperty().get() > 0.01);
        ConversionJobViewModel job = model.conversions().jobs().getFirst();
        robot.clickOn("Cancel");
        waitUntil(() -> job.status() == ConversionJobViewModel.Status.CANCELLED);
        try (var files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactly("big.raw");
        }
    }

    @SuppressWarnings("unchecked")
    private static void choose(FxRobot robot, String presetName) {
        ComboBox<ConversionPreset> presets = robot.lookup("#convert-preset").queryAs(ComboBox.class);
        robot.interact(() -> presets.getSelectionModel().select(presets.getItems().stream()
                .filter(preset -> preset.name().equals(presetName)).findFirst().orElseThrow()));
    }
}

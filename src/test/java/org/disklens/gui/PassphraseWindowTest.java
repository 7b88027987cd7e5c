package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.disklens.crypto.WrongPassphrase;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The passphrase dialog, in the window: a qcow2 encrypted by qemu-img ({@code encrypt.format=luks}) holding the sample
 * GPT disk asks its passphrase when opened; typed in, the guest's partitions and files show. A wrong passphrase is
 * said and asked again; Skip leaves it locked, and the Overview says so. The passphrase is never in the recent files
 * or a text the window shows.
 */
@ExtendWith(ApplicationExtension.class)
class PassphraseWindowTest {
    static final String PASSPHRASE = "window pass phrase";

    @TempDir
    static Path dir;

    private MainViewModel model;
    private Services services;

    @BeforeAll
    static void makeImage() {
        Qemu.require();
        for (int attempt = 1; ; attempt++) {
            try {
                Qemu.img(dir, "convert", "--object", "secret,id=s0,data=" + PASSPHRASE, "-f", "raw", "-O", "qcow2",
                        "-o", "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10",
                        sample("gpt-disk.raw").toAbsolutePath().toString(), "encrypted.qcow2");
                return;
            } catch (IllegalStateException flaky) {
                // qemu calibrates its key derivation on CPU time, which a busy machine sometimes fails to give.
                if (attempt == 5 || !String.valueOf(flaky.getMessage()).contains("Unable to get accurate CPU usage")) {
                    throw flaky;
                }
            }
        }
    }

    @Start
    void start(Stage stage) {
        services = GuiTesting.services(ConversionService.unavailable());
        model = DiskLensApp.show(stage, services, List.of());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(model::shutdown);
        services.close();
    }

    private ImageViewModel open(FxRobot robot) {
        robot.interact(() -> model.open(List.of(dir.resolve("encrypted.qcow2"))));
        return model.images().getFirst();
    }

    /** Waits for the dialog and types {@code typed} into its field. */
    private PasswordField dialog(FxRobot robot) {
        waitUntil(() -> robot.lookup("#passphrase-field").tryQuery().isPresent());
        PasswordField field = robot.lookup("#passphrase-field").queryAs(PasswordField.class);
        assertThat(robot.lookup("#passphrase-dialog").queryAs(javafx.scene.control.DialogPane.class).getHeaderText())
                .isEqualTo("Passphrase for qcow2 image encrypted.qcow2");
        return field;
    }

    private static void type(FxRobot robot, PasswordField field, String text) {
        robot.clickOn(field);
        robot.write(text);
        waitUntil(() -> field.getText().equals(text));
    }

    private static List<String> warnings(FxRobot robot) {
        VBox box = robot.lookup("#overview-warnings").queryAs(VBox.class);
        return robot.from(box).lookup((Node node) -> node instanceof Label).queryAllAs(Label.class).stream()
                .map(Label::getText).toList();
    }

    @Test
    void thePassphraseTypedInTheDialogUnlocksTheImage(FxRobot robot) {
        ImageViewModel image = open(robot);
        PasswordField field = dialog(robot);
        assertThat(robot.lookup("#passphrase-problem").queryAs(Label.class).isVisible()).isFalse();
        type(robot, field, PASSPHRASE);
        robot.clickOn("#passphrase-unlock");
        waitUntil(() -> image.status() == ImageViewModel.Status.READY && !image.volumes().isEmpty());
        assertThat(robot.lookup("#passphrase-field").tryQuery()).isEmpty();
        assertThat(field.getText()).isEmpty();

        // The Overview tells the guest's file systems, and nothing is locked.
        waitUntil(() -> !image.overview().guestView().isEmpty());
        assertThat(warnings(robot)).noneMatch(text -> text.contains("locked"));
        robot.clickOn("#section-partitions");
        TableView<?> table = robot.lookup("#partitions-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty());
        assertThat(image.volumes().getFirst().partition().orElseThrow().scheme()).isEqualTo("gpt");
        assertThat(image.openedProperty().get().fileSystems()).isNotEmpty();

        assertThat(services.recentFiles().load()).containsExactly(dir.resolve("encrypted.qcow2").toString())
                .allSatisfy(path -> assertThat(path).doesNotContain(PASSPHRASE));
        assertThat(model.statusProperty().get()).doesNotContain(PASSPHRASE);
    }

    @Test
    void aWrongPassphraseIsSaidAndSkipLeavesItLocked(FxRobot robot) {
        ImageViewModel image = open(robot);
        type(robot, dialog(robot), "not " + PASSPHRASE);
        robot.clickOn("#passphrase-unlock");

        waitUntil(() -> robot.lookup("#passphrase-problem").tryQuery().map(Node::isVisible).orElse(false));
        assertThat(robot.lookup("#passphrase-problem").queryAs(Label.class).getText())
                .isEqualTo("Wrong passphrase: " + WrongPassphrase.MESSAGE + ". Try 2 of 3.");
        assertThat(robot.lookup("#passphrase-field").queryAs(PasswordField.class).getText()).isEmpty();
        robot.clickOn("#passphrase-skip");

        waitUntil(() -> image.status() == ImageViewModel.Status.READY && !warnings(robot).isEmpty());
        assertThat(robot.lookup("#passphrase-field").tryQuery()).isEmpty();
        assertThat(image.volumes()).isEmpty();
        assertThat(warnings(robot)).contains(ImageViewModel.LOCKED)
                .anyMatch(text -> text.startsWith("qcow2 image encrypted.qcow2 is locked: its passphrase was skipped"))
                .allSatisfy(text -> assertThat(text).doesNotContain(PASSPHRASE).doesNotContain("--passphrase-file"));
        assertThat(services.recentFiles().load()).allSatisfy(path -> assertThat(path).doesNotContain(PASSPHRASE));
        assertThat(model.statusProperty().get()).doesNotContain(PASSPHRASE);
    }
}

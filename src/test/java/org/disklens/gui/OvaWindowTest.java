package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.disklens.gui.model.ImageViewModel;
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
 * An OVA whose disk is gzip-compressed can be read only from start to end, as a conversion reads it (issue 18): its
 * tab's failure page says so in the window's words and offers Convert…, which opens the Convert dialog for the file.
 * Other failures keep their own page, without Convert….
 */
@ExtendWith(ApplicationExtension.class)
class OvaWindowTest {
    static final String SENTENCE = "Its disk is gzip-compressed: DiskLens can read it only from start to end, as a "
            + "conversion does. Convert it, then open the copy to look inside.";

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
        robot.interact(() -> robot.listWindows().stream().filter(window -> window.getScene() != null
                && window.getScene().getRoot() instanceof DialogPane).toList().forEach(javafx.stage.Window::hide));
        robot.interact(model::shutdown);
        services.close();
    }

    private ImageViewModel open(FxRobot robot, Path file) {
        robot.interact(() -> model.open(List.of(file)));
        ImageViewModel image = model.selectedProperty().get();
        waitUntil(() -> image.status() != ImageViewModel.Status.LOADING);
        return image;
    }

    /**
     * {@code one.ova}: an OVF naming one disk, {@code disk1.vmdk.gz} (a streamOptimized VMDK of 8 MiB made by qemu-img,
     * then {@code gzip -c}) with {@code ovf:compression="gzip"}, packed by {@code tar --format=ustar}.
     */
    private Path gzipOva() throws IOException {
        Qemu.require();
        Tools.require("tar", "gzip");
        Qemu.create(dir, "disk1.raw", "raw", "", "8M");
        Qemu.io(dir, "disk1.raw", "raw", "write -P 0x11 0 64k");
        Qemu.img(dir, "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", "disk1.raw", "disk1.vmdk");
        Tools.run(dir, "sh", "-c", "gzip -c disk1.vmdk > disk1.vmdk.gz");
        long size = Files.size(dir.resolve("disk1.vmdk.gz"));
        Files.writeString(dir.resolve("one.ovf"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
                    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
                    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData">
                  <References>
                    <File ovf:href="disk1.vmdk.gz" ovf:id="file1" ovf:size="%d" ovf:compression="gzip"/>
                  </References>
                  <DiskSection>
                    <Info>Virtual disk information</Info>
                    <Disk ovf:capacity="8" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk1"
                        ovf:fileRef="file1"
                        ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>
                  </DiskSection>
                  <VirtualSystem ovf:id="web">
                    <Info>A virtual machine</Info>
                    <VirtualHardwareSection>
                      <Info>Virtual hardware requirements</Info>
                      <Item>
                        <rasd:ElementName>Hard Disk 1</rasd:ElementName>
                        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
                        <rasd:InstanceID>10</rasd:InstanceID>
                        <rasd:ResourceType>17</rasd:ResourceType>
                      </Item>
                    </VirtualHardwareSection>
                  </VirtualSystem>
                </Envelope>
                """.formatted(size));
        Tools.run(dir, "tar", "--format=ustar", "-cf", "one.ova", "one.ovf", "disk1.vmdk.gz");
        return dir.resolve("one.ova");
    }

    private static Optional<Node> find(FxRobot robot, String id) {
        return robot.lookup(id).tryQuery();
    }

    private static boolean shown(Node node) {
        for (Node at = node; at != null; at = at.getParent()) {
            if (!at.isVisible()) {
                return false;
            }
        }
        return node.isManaged();
    }

    @Test
    void aGzipOvaSaysWhyInTheWindowsWordsAndOffersConvert(FxRobot robot) throws IOException {
        Path ova = gzipOva();
        ImageViewModel image = open(robot, ova);
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.FAILED);

        Label title = robot.lookup("#image-problem-title").queryAs(Label.class);
        Label problem = robot.lookup("#image-problem").queryAs(Label.class);
        assertThat(title.getText()).isEqualTo("Could not open one.ova");
        assertThat(problem.getText()).isEqualTo(SENTENCE);
        assertThat(shown(problem)).isTrue();
        Optional<Node> detail = find(robot, "#image-problem-detail");
        assertThat(detail).isPresent();
        assertThat(shown(detail.get())).isTrue();
        assertThat(((Label) detail.get()).getText()).startsWith("ova: disk 1 of one.ova (disk1.vmdk.gz) is "
                + "gzip-compressed (ovf:compression)");

        Optional<Node> convert = find(robot, "#image-problem-convert");
        assertThat(convert).isPresent();
        assertThat(shown(convert.get())).isTrue();
        Button button = (Button) convert.get();
        assertThat(button.getText()).isEqualTo("Convert…");
        assertThat(button.isDefaultButton()).isTrue();

        robot.clickOn(button);
        waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        DialogPane dialog = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).isEqualTo("Convert one.ova");
        assertThat(robot.lookup("#convert-preset").tryQuery()).isPresent();
    }

    @Test
    void aDamagedImagesFailurePageHasNoConvert(FxRobot robot) throws IOException {
        Path broken = Files.write(dir.resolve("broken.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 9});
        ImageViewModel image = open(robot, broken);
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.FAILED);

        Label problem = robot.lookup("#image-problem").queryAs(Label.class);
        assertThat(problem.getText()).startsWith("qcow2: ");
        assertThat(find(robot, "#image-problem-convert").filter(OvaWindowTest::shown)).isEmpty();
        assertThat(find(robot, "#image-problem-detail").filter(OvaWindowTest::shown)).isEmpty();
    }
}

package org.disklens.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.disklens.gui.GuiTesting.sample;
import static org.disklens.gui.GuiTesting.waitUntil;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.image.WritableImage;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.disklens.content.FileEntry;
import org.disklens.gui.model.ImageViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.view.AllocationCanvas;
import org.disklens.gui.view.ImagePane;
import org.disklens.gui.view.MainView;
import org.disklens.gui.view.Palette;
import org.disklens.testing.Cli;
import org.disklens.testing.Qemu;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What a new user tripped over (issue 20), in the real window, headless: each test looks at what is drawn or shown,
 * on images made by qemu-img and the bundled samples.
 */
@ExtendWith(ApplicationExtension.class)
class NewUserWindowTest {
    @TempDir
    Path dir;

    private Stage stage;
    private MainViewModel model;
    private Services services;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        services = GuiTesting.services(new EngineConversions());
        model = DiskLensApp.show(stage, services, List.of());
    }

    @AfterEach
    void stop(FxRobot robot) {
        robot.interact(model::shutdown);
        services.close();
    }

    private ImageViewModel open(FxRobot robot, Path file) {
        robot.interact(() -> model.open(List.of(file)));
        ImageViewModel image = model.selectedProperty().get();
        waitUntil(() -> image.status() != ImageViewModel.Status.LOADING
                && (image.status() != ImageViewModel.Status.READY || image.allocation().wholeDiskProperty().get() != null));
        return image;
    }

    private ImagePane pane() {
        return ((MainView) stage.getScene().getRoot()).selectedPane();
    }

    private AllocationCanvas showMap(FxRobot robot) {
        robot.interact(() -> pane().show(ImagePane.Section.ALLOCATION));
        AllocationCanvas canvas = robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class);
        waitUntil(() -> canvas.cellCount() > 0);
        return canvas;
    }

    /** The colour drawn at a point of {@code node}, in its own coordinates. */
    private static Color pixel(FxRobot robot, Node node, double x, double y) throws Exception {
        WritableImage image = WaitForAsyncUtils.asyncFx(() -> node.snapshot(null, null)).get();
        return image.getPixelReader().getColor((int) x, (int) y);
    }

    private static boolean near(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) < 0.03 && Math.abs(a.getGreen() - b.getGreen()) < 0.03
                && Math.abs(a.getBlue() - b.getBlue()) < 0.03;
    }

    /** Item 2: a 4 KiB write at 1 TiB of a 2 TiB sparse raw is drawn as data, and the holes as nothing. */
    @Test
    void aSparseRawShowsItsDataAndNotItsHoles(FxRobot robot) throws Exception {
        Qemu.require();
        try (FileChannel file = FileChannel.open(dir.resolve("big.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), (2L << 40) - 1);
        }
        Qemu.io(dir, "big.raw", "raw", "write -P 7 1T 4k");
        ImageViewModel image = open(robot, dir.resolve("big.raw"));
        AllocationCanvas canvas = showMap(robot);

        int cell = canvas.firstAllocatedCell();
        assertThat(cell).isEqualTo(canvas.cellCount() / 2);
        double[] centre = canvas.centreOf(cell);
        assertThat(near(pixel(robot, canvas, centre[0], centre[1] + 5), Palette.layer(0))).isTrue();
        double[] empty = canvas.centreOf(0);
        assertThat(near(pixel(robot, canvas, empty[0], empty[1] + 5), Palette.UNALLOCATED)).isTrue();
        assertThat(image.overview().guestView()).extracting(fact -> fact.label())
                .containsExactly("Data in this image", "Not stored (holes in the file)");
    }

    /** Item 3: a qcow2 cut short warns at the top of the Overview, in words, and the map marks the lost range. */
    @Test
    void aDamagedImageWarnsAtTheTopAndTheMapMarksTheUnreadableRange(FxRobot robot) throws Exception {
        Qemu.require();
        Qemu.create(dir, "cut.qcow2", "qcow2", "", "4G");
        Qemu.io(dir, "cut.qcow2", "qcow2", "write -P 1 0 64k", "write -P 2 3G 64k");
        long secondTable = -1;
        for (var entry : Qemu.map(dir, "cut.qcow2")) {
            if (entry.get("start").asLong() == 3L << 30) {
                secondTable = entry.get("offset").asLong() - 65536;
            }
        }
        try (FileChannel file = FileChannel.open(dir.resolve("cut.qcow2"), StandardOpenOption.WRITE)) {
            file.truncate(secondTable);
        }
        open(robot, dir.resolve("cut.qcow2"));

        VBox warnings = robot.lookup("#overview-warnings").queryAs(VBox.class);
        assertThat(warnings.isVisible()).isTrue();
        assertThat(texts(warnings)).contains("Part of this image cannot be read")
                .anyMatch(text -> text.contains("Run Check for details"));
        Node headline = robot.lookup("#overview-headline").query();
        assertThat(warnings.localToScene(warnings.getBoundsInLocal()).getMaxY())
                .isLessThan(headline.localToScene(headline.getBoundsInLocal()).getMinY());

        AllocationCanvas canvas = showMap(robot);
        int cell = canvas.cellCount() * 3 / 4 + 1;
        double[] centre = canvas.centreOf(cell);
        assertThat(near(pixel(robot, canvas, centre[0], centre[1] + 5), Palette.UNREADABLE)).isTrue();
    }

    /** Item 4: the partitions the legend lists are drawn over the map. */
    @Test
    void partitionsAreDrawnOverTheMap(FxRobot robot) throws Exception {
        open(robot, sample("gpt-disk.raw"));
        AllocationCanvas canvas = showMap(robot);

        double[] centre = canvas.centreOf(canvas.cellCount() / 2);
        assertThat(near(pixel(robot, canvas, centre[0], centre[1] - 5), Palette.partition(0))).isTrue();
        assertThat(texts(robot.lookup("#allocation-canvas").queryAs(AllocationCanvas.class).getParent()))
                .anyMatch(text -> text.startsWith("1 SAMPLE DATA"));
    }

    /** Item 9: the File layout's axis labels never run into each other; the map's axis keeps one unit. */
    @Test
    void theFileLayoutsAxisLabelsDoNotOverlap(FxRobot robot) {
        Qemu.require();
        Qemu.create(dir, "wide.qcow2", "qcow2", "", "1T");
        Qemu.io(dir, "wide.qcow2", "qcow2", "write -P 1 0 64k");
        try (var file = FileChannel.open(dir.resolve("wide.qcow2"), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.allocate(1), (1L << 40) - 1); // a file of 1 TiB, mostly a hole
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ImageViewModel image = open(robot, dir.resolve("wide.qcow2"));
        robot.interact(() -> pane().show(ImagePane.Section.FILE_LAYOUT));
        waitUntil(() -> image.hostLayout().layoutProperty().get() != null);
        ChartViewer viewer = robot.lookup("#host-layout-chart").queryAs(ChartViewer.class);
        double width = viewer.getWidth();
        double height = viewer.getHeight();

        BufferedImage canvas = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        viewer.getChart().draw(g, new Rectangle2D.Double(0, 0, width, height), info);
        XYPlot plot = viewer.getChart().getXYPlot();
        NumberAxis axis = (NumberAxis) plot.getDomainAxis();
        Rectangle2D area = info.getPlotInfo().getDataArea();
        List<?> ticks = axis.refreshTicks(g, new AxisState(), area, RectangleEdge.BOTTOM);
        assertThat(ticks).hasSizeGreaterThan(2);
        double previousEnd = Double.NEGATIVE_INFINITY;
        for (Object tick : ticks) {
            NumberTick numberTick = (NumberTick) tick;
            double textWidth = g.getFontMetrics(axis.getTickLabelFont()).stringWidth(numberTick.getText());
            double centre = axis.valueToJava2D(numberTick.getValue(), area, RectangleEdge.BOTTOM);
            assertThat(centre - textWidth / 2).as(numberTick.getText()).isGreaterThan(previousEnd);
            previousEnd = centre + textWidth / 2;
            assertThat(numberTick.getText()).matches("\\d+ (B|KiB|MiB|GiB|TiB)");
        }
    }

    /** Item 10: a partition's cells copy with Ctrl+C, and a cut-off value shows whole in a tooltip. */
    @Test
    void aPartitionsValuesCanBeCopied(FxRobot robot) {
        open(robot, sample("gpt-disk.raw"));
        robot.interact(() -> pane().show(ImagePane.Section.PARTITIONS));
        @SuppressWarnings("unchecked")
        TableView<Object> table = robot.lookup("#partitions-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty());
        String uuid = Cli.run("info", "--json", sample("gpt-disk.raw").toString()).json().get("partitions").get(0)
                .get("filesystem").get("uuid").asText();
        var uuidColumn = table.getColumns().stream().filter(column -> column.getText().equals("UUID")).findFirst()
                .orElseThrow();

        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().clearAndSelect(0, uuidColumn);
        });
        robot.press(KeyCode.CONTROL, KeyCode.C).release(KeyCode.C, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();

        String copied = WaitForAsyncUtils.waitForAsyncFx(5000, () -> Clipboard.getSystemClipboard().getString());
        assertThat(copied).isEqualTo(uuid);
        assertThat(table.getContextMenu().getItems()).extracting(item -> item.getText()).containsExactly("Copy", "Copy row");
    }

    /** Item 11: the sidebar's arrow keys choose the section at once. */
    @Test
    void arrowKeysInTheSidebarChooseTheSection(FxRobot robot) {
        open(robot, sample("base.qcow2"));
        robot.clickOn("#section-overview");
        robot.press(KeyCode.DOWN).release(KeyCode.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(pane().current()).isEqualTo(ImagePane.Section.ALLOCATION);
        robot.press(KeyCode.DOWN).release(KeyCode.DOWN).press(KeyCode.DOWN).release(KeyCode.DOWN);
        robot.press(KeyCode.UP).release(KeyCode.UP);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(pane().current()).isEqualTo(ImagePane.Section.FILE_LAYOUT);
        assertThat(robot.lookup("#section-file-layout").queryAs(javafx.scene.control.ToggleButton.class).isSelected())
                .isTrue();
    }

    /** Item 12: an error page's title, reason and button share one left edge. */
    @Test
    void anErrorPageAlignsItsTitleAndItsReason(FxRobot robot) throws IOException {
        Files.write(dir.resolve("broken.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 9});
        open(robot, dir.resolve("broken.qcow2"));

        Label title = robot.lookup("#image-problem-title").queryAs(Label.class);
        Label reason = robot.lookup("#image-problem").queryAs(Label.class);
        Bounds titleBounds = title.localToScene(title.getBoundsInLocal());
        Bounds reasonBounds = reason.localToScene(reason.getBoundsInLocal());
        assertThat(reason.getText()).contains("qcow2");
        assertThat(reasonBounds.getMinX()).isCloseTo(titleBounds.getMinX(), org.assertj.core.data.Offset.offset(1.0));
        assertThat(reason.getAlignment().getHpos()).isEqualTo(javafx.geometry.HPos.LEFT);
    }

    /** Item 15: folders first in natural order; typing a name's start selects it; Ctrl+F goes to Find. */
    @Test
    void theFileTreeSortsNaturallyAndFindsAsYouType(FxRobot robot) {
        ImageViewModel iso = open(robot, sample("sample.iso"));
        waitUntil(() -> iso.files().rootProperty().get() != null);
        robot.interact(() -> pane().show(ImagePane.Section.FILES));
        @SuppressWarnings("unchecked")
        TreeTableView<FileEntry> tree = robot.lookup("#files-tree").queryAs(TreeTableView.class);
        waitUntil(() -> tree.getRoot() != null && tree.getRoot().getChildren().size() > 1);
        assertThat(tree.getRoot().getChildren()).extracting(item -> item.getValue().name())
                .containsExactly("boot", "docs", "tools", "boot.catalog", "README.TXT");

        robot.interact(() -> {
            tree.requestFocus();
            tree.getSelectionModel().clearAndSelect(0);
        });
        robot.write("t");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tree.getSelectionModel().getSelectedItem().getValue().name()).isEqualTo("tools");
        robot.write("o");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tree.getSelectionModel().getSelectedItem().getValue().name()).isEqualTo("tools");
        robot.sleep(1100); // a pause starts a new name
        robot.write("r");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tree.getSelectionModel().getSelectedItem().getValue().name()).isEqualTo("README.TXT");

        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#files-find").queryAs(TextField.class).isFocused()).isTrue();
    }

    /** Item 17: About says the version the command line says; the map has no tooltip hiding it. */
    @Test
    void aboutTellsTheVersionAndTheMapHasNoTooltip(FxRobot robot) {
        open(robot, sample("base.qcow2"));
        AllocationCanvas canvas = showMap(robot);
        assertThat(canvas.getProperties()).doesNotContainKey("javafx.scene.control.Tooltip");

        robot.clickOn("Help").clickOn("About DiskLens");
        waitUntil(() -> robot.lookup("#about").tryQuery().isPresent());
        javafx.scene.control.DialogPane about = robot.lookup("#about").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(about.getHeaderText()).isEqualTo(Cli.run("--version").out().strip());
        robot.interact(() -> about.getScene().getWindow().hide());
    }

    /** Item 3: a file that is no image of the format its name says is shown as raw bytes, and the Overview says so. */
    @Test
    void aFileThatIsNoImageOfItsNamedFormatSaysSoOnTheOverview(FxRobot robot) throws IOException {
        byte[] png = new byte[280];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        Files.write(dir.resolve("holiday.qcow2"), png);
        open(robot, dir.resolve("holiday.qcow2"));

        VBox warnings = robot.lookup("#overview-warnings").queryAs(VBox.class);
        assertThat(warnings.isVisible()).isTrue();
        assertThat(texts(warnings)).contains("Not a qcow2 image")
                .anyMatch(text -> text.startsWith("The file starts with PNG data; shown as raw bytes."));
        assertThat(robot.lookup("#overview-headline").queryAs(Label.class).getText()).doesNotContain("1463")
                .endsWith("fully allocated");
    }

    /** Item 8: a failed file stays out of Open Recent; the status bar counts the failures and follows the tab. */
    @Test
    void theStatusBarCountsFailuresAndFollowsTheTabAndRecentFilesKeepOnlyWhatOpened(FxRobot robot) throws IOException {
        Path good = Files.copy(sample("base.qcow2"), dir.resolve("good.qcow2"));
        Path bad = Files.write(dir.resolve("bad.qcow2"), new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 9});
        robot.interact(() -> model.open(List.of(good, bad)));
        org.controlsfx.control.StatusBar status = robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class);
        waitUntil(() -> model.images().stream().noneMatch(image -> image.status() == ImageViewModel.Status.LOADING));
        waitUntil(() -> status.getText().startsWith("Opened 1 of 2"));
        assertThat(status.getText()).isEqualTo("Opened 1 of 2 images; 1 could not be opened.");

        javafx.scene.control.Menu recent = robot.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class)
                .getMenus().stream().flatMap(menu -> menu.getItems().stream())
                .filter(item -> "menu-recent".equals(item.getId())).map(javafx.scene.control.Menu.class::cast)
                .findFirst().orElseThrow();
        assertThat(recent.getItems()).extracting(javafx.scene.control.MenuItem::getText)
                .contains(good.toAbsolutePath().toString()).doesNotContain(bad.toAbsolutePath().toString());

        javafx.scene.control.TabPane tabs = robot.lookup("#image-tabs").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).isEqualTo("Opened good.qcow2.");
        robot.interact(() -> tabs.getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(status.getText()).startsWith("Could not open bad.qcow2: ");
    }

    /** Item 9: the map's subtitle names the size its cells really have; the guest view's values keep to one line. */
    @Test
    void theMapSaysTheSizeOfItsCellsAndTheGuestViewsValuesShowWhole(FxRobot robot) {
        Qemu.require();
        Qemu.create(dir, "mid.qcow2", "qcow2", "", "3000M");
        Qemu.io(dir, "mid.qcow2", "qcow2", "write -P 1 0 64k");
        open(robot, dir.resolve("mid.qcow2"));
        for (Node row : robot.lookup("#overview-guest-view").queryAs(javafx.scene.layout.GridPane.class)
                .getChildrenUnmodifiable()) {
            if (row instanceof Label value) {
                assertThat(shownText(value)).isEqualTo(value.getText());
            }
        }

        AllocationCanvas canvas = showMap(robot);
        String subtitle = robot.lookup("#allocation-range").queryAs(Label.class).getText();
        assertThat(subtitle).startsWith("Whole disk, 2.93 GiB · each cell ").doesNotContain("≥");
        String[] sizes = subtitle.substring(subtitle.indexOf("each cell ") + "each cell ".length()).split("–");
        long disk = 3000L << 20;
        long smallest = bytes(sizes[0], sizes[sizes.length - 1]);
        long largest = bytes(sizes[sizes.length - 1], sizes[sizes.length - 1]);
        // Every cell is between the two sizes said: together they cover the disk.
        assertThat((double) smallest * canvas.cellCount()).isLessThanOrEqualTo(disk * 1.01);
        assertThat((double) largest * canvas.cellCount()).isGreaterThanOrEqualTo(disk * 0.99);
    }

    /** "2.5 MiB" (or "20" with the unit of {@code withUnit}) in bytes. */
    private static long bytes(String text, String withUnit) {
        String[] parts = text.strip().split(" ");
        String unit = parts.length > 1 ? parts[1] : withUnit.strip().split(" ")[1];
        int power = List.of("B", "KiB", "MiB", "GiB", "TiB").indexOf(unit);
        return (long) (Double.parseDouble(parts[0]) * (1L << (10 * power)));
    }

    /** Item 10: a fact's value copies from its context menu; a partition cell cut short shows whole in a tooltip. */
    @Test
    void factsCopyAndCutCellsShowWholeInATooltip(FxRobot robot) {
        open(robot, sample("gpt-disk.raw"));
        Label value = robot.from(robot.lookup("#overview-facts").queryAs(Node.class)).lookup(".fact-value")
                .queryAs(Label.class);
        robot.rightClickOn(value);
        assertThat(value.getContextMenu().isShowing()).as("the context menu shown by the right-click").isTrue();
        assertThat(value.getContextMenu().getItems()).extracting(item -> item.getText()).containsExactly("Copy", "Copy row");
        robot.interact(() -> {
            value.getContextMenu().hide();
            value.getContextMenu().getItems().getFirst().fire();
        });
        assertThat(WaitForAsyncUtils.waitForAsyncFx(5000, () -> Clipboard.getSystemClipboard().getString()))
                .isEqualTo(value.getText());

        robot.interact(() -> pane().show(ImagePane.Section.PARTITIONS));
        TableView<?> table = robot.lookup("#partitions-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty());
        robot.interact(() -> table.getColumns().forEach(column -> column.setPrefWidth(column.getMinWidth())));
        WaitForAsyncUtils.waitForFxEvents();
        List<javafx.scene.control.TableCell<?, ?>> cells = robot.from(table).lookup(".table-cell")
                .<javafx.scene.control.TableCell<?, ?>>queryAll().stream()
                .filter(cell -> cell.getText() != null && !cell.getText().isEmpty()).toList();
        assertThat(cells).isNotEmpty().allSatisfy(cell -> assertThat(cell.getTooltip().getText()).isEqualTo(cell.getText()));
        assertThat(cells).anyMatch(cell -> !shownText(cell).equals(cell.getText()));
    }

    /** Item 13: a sparse raw's estimate says the file's size and, apart, the little space it takes on disk. */
    @Test
    void theEstimateOfASparseRawSaysItsFileSizeAndItsSpaceOnDisk(FxRobot robot) throws IOException {
        Qemu.require();
        Qemu.create(dir, "thin.qcow2", "qcow2", "", "20G");
        Qemu.io(dir, "thin.qcow2", "qcow2", "write -P 3 0 7M");
        GuiTesting.dropFiles(robot, robot.lookup("#convert-target").query(), List.of(dir.resolve("thin.qcow2")));
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<org.disklens.gui.model.ConversionPreset> presets =
                robot.lookup("#convert-preset").queryAs(javafx.scene.control.ComboBox.class);
        var sparse = presets.getItems().stream().filter(preset -> preset.name().equals("raw, sparse")).findFirst()
                .orElseThrow();
        robot.interact(() -> presets.getSelectionModel().select(sparse));
        Label estimate = robot.lookup("#convert-estimate").queryAs(Label.class);
        waitUntil(() -> !estimate.getText().startsWith("Estimating"));
        // qemu-img writes 7 MiB of data: the raw file holds that much and nothing else.
        assertThat(estimate.getText()).matches("20 GiB file, about 7(\\.\\d+)? MiB on disk \\(its holes take no space\\)");
        robot.interact(() -> presets.getScene().getWindow().hide());
    }

    /** Item 14: a chain's headline, with the chain's total beside the top layer's size, shows whole. */
    @Test
    void aChainsHeadlineShowsWhole(FxRobot robot) {
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(820);
        });
        open(robot, sample("thin-with-backing.qcow2"));
        Label headline = robot.lookup("#overview-headline").queryAs(Label.class);
        assertThat(headline.getText()).contains("with its backing chain");
        assertThat(shownText(headline)).isEqualTo(headline.getText());
    }

    /** Item 10: the File layout's totals name each use whole ("Snapshots' L1/L2 tables"), in the README's window size. */
    @Test
    void theFileLayoutsTotalsNameEachUseWhole(FxRobot robot) {
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(820);
        });
        ImageViewModel image = open(robot, sample("thin-with-backing.qcow2"));
        robot.interact(() -> pane().show(ImagePane.Section.FILE_LAYOUT));
        waitUntil(() -> image.hostLayout().layoutProperty().get() != null);
        List<Label> labels = robot.from(robot.lookup("#host-totals").<Node>query()).lookup(".label").queryAllAs(Label.class)
                .stream().toList();
        assertThat(labels).extracting(Label::getText).contains("Snapshots' L1/L2 tables");
        assertThat(labels).allSatisfy(label -> assertThat(shownText(label)).isEqualTo(label.getText()));
    }

    /** Item 16: a VMDK's Check speaks of grains, its Header shows its own header and descriptor, its layout its tables. */
    @Test
    void aVmdkIsDescribedInItsOwnTerms(FxRobot robot) {
        Qemu.require();
        Qemu.create(dir, "disk.vmdk", "vmdk", "", "1G");
        Qemu.io(dir, "disk.vmdk", "vmdk", "write -P 1 0 128k");
        ImageViewModel image = open(robot, dir.resolve("disk.vmdk"));

        robot.interact(() -> pane().show(ImagePane.Section.HEADER));
        org.controlsfx.control.PropertySheet sheet = robot.lookup("#header-sheet")
                .queryAs(org.controlsfx.control.PropertySheet.class);
        assertThat(sheet.getItems()).extracting(org.controlsfx.control.PropertySheet.Item::getCategory)
                .contains("Sparse extent header (vmdk)", "Descriptor (vmdk)");
        assertThat(robot.from(sheet).lookup(".titled-pane").queryAllAs(javafx.scene.control.TitledPane.class))
                .extracting(javafx.scene.control.TitledPane::getText).contains("Sparse extent header (vmdk)");

        robot.interact(() -> pane().show(ImagePane.Section.FILE_LAYOUT));
        waitUntil(() -> image.hostLayout().layoutProperty().get() != null);
        assertThat(texts(robot.lookup("#host-totals").query())).contains("Grain tables");

        robot.interact(() -> pane().show(ImagePane.Section.CHECK));
        robot.clickOn("#check-run");
        waitUntil(() -> image.check().jobProperty().get() != null
                && image.check().jobProperty().get().state() != org.disklens.gui.task.Job.State.RUNNING);
        assertThat(robot.lookup("#check-description").queryAs(Label.class).getText())
                .contains("grain directories and grain tables").doesNotContain("refcount");
    }

    /** Issue 17: the space the guest has freed, in the Overview's sentence, on the map and in the Partitions table. */
    @Test
    void theSpaceTheGuestHasFreedIsToldOnTheOverviewTheMapAndThePartitions(FxRobot robot) throws Exception {
        Path disk = org.disklens.testing.Guests.diskWithFreedExt4(dir);
        long reclaimable = Cli.run("info", "--json", disk.toString()).json().get("reclaimable").asLong();
        var df = Cli.run("df", "--json", disk.toString()).json().get(0);
        ImageViewModel image = open(robot, disk);
        waitUntil(() -> !image.overview().reclaimableProperty().get().isEmpty());

        Label sentence = robot.lookup("#overview-reclaimable").queryAs(Label.class);
        assertThat(sentence.isVisible()).isTrue();
        assertThat(sentence.getText()).contains("— " + org.disklens.image.Units.size(reclaimable)
                + " is space the guest has freed, recoverable by converting with Shrink");

        AllocationCanvas canvas = showMap(robot);
        assertThat(texts(canvas.getParent())).contains("Stored, but free in the guest");
        WritableImage drawn = WaitForAsyncUtils.asyncFx(() -> canvas.snapshot(null, null)).get();
        boolean pink = false;
        for (int y = 0; y < drawn.getHeight() && !pink; y++) {
            for (int x = 0; x < drawn.getWidth() && !pink; x++) {
                pink = near(drawn.getPixelReader().getColor(x, y), Palette.FREE_IN_GUEST);
            }
        }
        assertThat(pink).as("a cell drawn as stored, but free in the guest").isTrue();

        robot.interact(() -> pane().show(ImagePane.Section.PARTITIONS));
        TableView<?> table = robot.lookup("#partitions-table").queryAs(TableView.class);
        waitUntil(() -> !table.getItems().isEmpty());
        assertThat(table.getColumns()).extracting(column -> column.getText())
                .contains("Size", "Used", "Free", "Reclaimable");
        // In view without scrolling, in a window of the screenshots' size.
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(820);
        });
        WaitForAsyncUtils.waitForFxEvents();
        Node reclaimableHeader = robot.from(table).lookup(".column-header").<Node>queryAll().stream()
                .filter(header -> texts(header).contains("Reclaimable")).findFirst().orElseThrow();
        assertThat(reclaimableHeader.localToScene(reclaimableHeader.getBoundsInLocal()).getMaxX())
                .isLessThanOrEqualTo(table.localToScene(table.getBoundsInLocal()).getMaxX());
        assertThat(cell(table, "Free", 0)).isEqualTo(org.disklens.image.Units.size(df.get("available").asLong()));
        assertThat(cell(table, "Reclaimable", 0)).isEqualTo(org.disklens.image.Units.size(reclaimable));
        assertThat(cell(table, "Used", 0)).startsWith(org.disklens.image.Units.size(df.get("used").asLong()) + " of ");
    }

    private static String cell(TableView<?> table, String column, int row) {
        Object value = table.getColumns().stream().filter(each -> each.getText().equals(column)).findFirst()
                .orElseThrow().getCellData(row);
        return value == null ? "" : value.toString();
    }

    /** What a labelled control really draws: its text, or the text cut short with "…". */
    private static String shownText(javafx.scene.control.Labeled labeled) {
        javafx.scene.text.Text text = (javafx.scene.text.Text) labeled.lookup(".text");
        return text == null ? labeled.getText() : text.getText();
    }

    private static List<String> texts(Node root) {
        List<String> found = new ArrayList<>();
        collect(root, found);
        return found;
    }

    private static void collect(Node node, List<String> found) {
        if (node instanceof Label label) {
            found.add(label.getText());
        }
        if (node instanceof javafx.scene.Parent parent) {
            parent.getChildrenUnmodifiable().forEach(child -> collect(child, found));
        }
    }

    @SuppressWarnings("unused")
    private static TreeItem<FileEntry> child(TreeItem<FileEntry> parent, String name) {
        return parent.getChildren().stream().filter(item -> item.getValue().name().equals(name)).findFirst().orElseThrow();
    }
}

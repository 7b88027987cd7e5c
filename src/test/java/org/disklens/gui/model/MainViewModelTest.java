package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.testing.Qemu;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening, re-opening, closing and recent files, through the one {@code open} every way of opening uses. */
class MainViewModelTest {
    @TempDir
    Path dir;

    private final SameThreadTaskRunner runner = new SameThreadTaskRunner();
    private final RecentFiles.Store store = RecentFiles.Store.inMemory();
    private MainViewModel model;

    @BeforeEach
    void setUp() {
        Qemu.require();
        Qemu.create(dir, "a.qcow2", "qcow2", "", "1G");
        Qemu.create(dir, "b.raw", "raw", "", "1M");
        ConversionQueueViewModel conversions = new ConversionQueueViewModel(ConversionService.unavailable(), runner,
                runner, System::nanoTime);
        model = new MainViewModel(runner, new RecentFiles(store), conversions);
    }

    @Test
    void openingSeveralFilesGivesATabEachAndSelectsTheLast() {
        model.open(List.of(dir.resolve("a.qcow2"), dir.resolve("b.raw")));

        assertThat(model.images()).extracting(image -> image.titleProperty().get()).containsExactly("a.qcow2", "b.raw");
        assertThat(model.images()).allMatch(image -> image.status() == ImageViewModel.Status.READY);
        assertThat(model.selectedProperty().get().titleProperty().get()).isEqualTo("b.raw");
        assertThat(model.windowTitle().get()).isEqualTo("DiskLens — b.raw");
        assertThat(model.statusProperty().get()).isEqualTo("Opened 2 images.");
    }

    @Test
    void openingAnOpenFileAgainRefreshesItInsteadOfAddingATab() {
        model.openArguments(List.of(dir.resolve("a.qcow2").toString()));
        ImageViewModel first = model.images().getFirst();
        OpenedImage before = first.openedProperty().get();

        model.open(List.of(dir.resolve("./a.qcow2")));

        assertThat(model.images()).containsExactly(first);
        assertThat(first.openedProperty().get()).isNotNull().isNotSameAs(before);
    }

    @Test
    void recentFilesAreNewestFirstWithoutDuplicatesAndKeptInTheStore() {
        model.open(List.of(dir.resolve("a.qcow2")));
        model.open(List.of(dir.resolve("b.raw")));
        model.open(List.of(dir.resolve("a.qcow2")));

        assertThat(model.recent().files()).containsExactly(dir.resolve("a.qcow2"), dir.resolve("b.raw"));
        assertThat(new RecentFiles(store).files()).containsExactly(dir.resolve("a.qcow2"), dir.resolve("b.raw"));
        for (int index = 0; index < RecentFiles.MAX + 3; index++) {
            model.recent().add(dir.resolve("other-" + index));
        }
        assertThat(model.recent().files()).hasSize(RecentFiles.MAX).first().isEqualTo(dir.resolve("other-12"));
    }

    @Test
    void closingATabSelectsItsNeighbourAndClosesTheImage() {
        model.open(List.of(dir.resolve("a.qcow2"), dir.resolve("b.raw")));
        ImageViewModel b = model.selectedProperty().get();

        model.close(b);

        assertThat(b.status()).isEqualTo(ImageViewModel.Status.CLOSED);
        assertThat(model.images()).extracting(image -> image.titleProperty().get()).containsExactly("a.qcow2");
        assertThat(model.selectedProperty().get().titleProperty().get()).isEqualTo("a.qcow2");
        model.close(model.selectedProperty().get());
        assertThat(model.selectedProperty().get()).isNull();
        assertThat(model.windowTitle().get()).isEqualTo("DiskLens");
    }

    @Test
    void onlyFilesThatOpenedBecomeRecentAndTheStatusSaysHowTheBatchWent() {
        model.open(List.of(dir.resolve("a.qcow2"), dir.resolve("gone.qcow2"), dir.resolve("b.raw"),
                dir.resolve("also-gone.vmdk")));

        assertThat(model.images()).hasSize(4);
        assertThat(model.recent().files()).containsExactlyInAnyOrder(dir.resolve("a.qcow2"), dir.resolve("b.raw"));
        assertThat(model.statusProperty().get()).isEqualTo("Opened 2 of 4 images; 2 could not be opened.");

        model.selectedProperty().set(model.images().get(1));
        assertThat(model.statusProperty().get()).isEqualTo("Could not open gone.qcow2: The file does not exist: "
                + dir.resolve("gone.qcow2"));
        model.selectedProperty().set(model.images().getFirst());
        assertThat(model.statusProperty().get()).isEqualTo("Opened a.qcow2.");
    }

    @Test
    void aRecentFileThatNoLongerOpensLeavesTheList() throws java.io.IOException {
        model.open(List.of(dir.resolve("a.qcow2")));
        assertThat(model.recent().files()).containsExactly(dir.resolve("a.qcow2"));
        java.nio.file.Files.delete(dir.resolve("a.qcow2"));

        model.open(List.of(dir.resolve("a.qcow2")));

        assertThat(model.recent().files()).isEmpty();
    }

    @Test
    void aFileThatIsNotAnImageStillGetsATabThatSaysWhy() {
        model.open(List.of(dir.resolve("nothing-here.qcow2")));

        assertThat(model.images()).hasSize(1);
        assertThat(model.selectedProperty().get().status()).isEqualTo(ImageViewModel.Status.FAILED);
        assertThat(model.selectedProperty().get().problemProperty().get()).startsWith("The file does not exist: ");
    }
}

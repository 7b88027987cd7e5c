package org.disklens.gui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javafx.scene.image.Image;
import javafx.util.Pair;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.RecentFiles;
import org.disklens.gui.task.FxTaskRunner;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the window tests share: the bundled samples, test services, waiting, and dropping files. */
final class GuiTesting {
    static final Path SAMPLES = Path.of(System.getProperty("disklens.project.dir", "."), "resources", "samples");

    private GuiTesting() {
    }

    static Path sample(String name) {
        return SAMPLES.resolve(name);
    }

    /** Real background threads (as the app has), recent files kept in memory, the given engine. */
    static Services services(ConversionService converter) {
        return new Services(new FxTaskRunner("test-inspect", 2), new FxTaskRunner("test-convert", 1),
                new FxTaskRunner("test-measure", 1), RecentFiles.Store.inMemory(), converter);
    }

    static void waitUntil(BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException timeout) {
            throw new AssertionError("timed out waiting for the window", timeout);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Drops files onto {@code target} as the system would: a drag-over (the node must accept a copy), then a
     * drop, both real {@link DragEvent}s dispatched through the scene graph with a dragboard holding the files.
     * Returns whether the drop was accepted.
     */
    static boolean dropFiles(FxRobot robot, Node target, List<Path> files) {
        boolean[] completed = {false};
        robot.interact(() -> {
            Dragboard board = com.sun.javafx.scene.input.DragboardHelper.createDragboard(
                    new FilesFromOutside(files.stream().map(Path::toFile).toList()));
            var centre = target.localToScene(target.getBoundsInLocal().getCenterX(), target.getBoundsInLocal().getCenterY());
            var screen = target.localToScreen(target.getBoundsInLocal().getCenterX(), target.getBoundsInLocal().getCenterY());
            DragEvent over = new DragEvent(target, target, DragEvent.DRAG_OVER, board, centre.getX(), centre.getY(),
                    screen.getX(), screen.getY(), TransferMode.COPY, null, null, null);
            Event.fireEvent(target, over);
            DragEvent drop = new DragEvent(target, target, DragEvent.DRAG_DROPPED, board, centre.getX(), centre.getY(),
                    screen.getX(), screen.getY(), TransferMode.COPY, null, null, null);
            Event.fireEvent(target, drop);
            completed[0] = over.isAccepted() && drop.isDropCompleted();
        });
        WaitForAsyncUtils.waitForFxEvents();
        return completed[0];
    }

    /**
     * What the toolkit's drag-and-drop clipboard holds when files are dragged in from another application:
     * a file list, offered for copying. (The system's own clipboard needs a real drag gesture.)
     */
    private record FilesFromOutside(List<File> files) implements com.sun.javafx.tk.TKClipboard {
        @Override
        public Set<DataFormat> getContentTypes() {
            return Set.of(DataFormat.FILES);
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... content) {
            return false;
        }

        @Override
        public Object getContent(DataFormat format) {
            return format.equals(DataFormat.FILES) ? files : null;
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return format.equals(DataFormat.FILES);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return Set.of(TransferMode.COPY, TransferMode.LINK);
        }

        @Override
        public void setDragView(Image image) {
        }

        @Override
        public void setDragViewOffsetX(double offsetX) {
        }

        @Override
        public void setDragViewOffsetY(double offsetY) {
        }

        @Override
        public Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }
}

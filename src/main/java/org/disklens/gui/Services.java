package org.disklens.gui;

import org.disklens.gui.model.ConversionService;
import org.disklens.gui.model.RecentFiles;
import org.disklens.gui.task.FxTaskRunner;
import org.disklens.gui.task.TaskRunner;

/**
 * What the window's view models run on: a pool for inspection work, a one-thread queue for conversions (so
 * they run one after another), another for size estimates, where recent files are kept, and the engine that
 * converts. The app makes the standard set; tests and the screenshot generator make their own.
 */
public record Services(TaskRunner inspection, TaskRunner conversions, TaskRunner measuring,
                       RecentFiles.Store recentFiles, ConversionService converter) implements AutoCloseable {

    public static Services standard() {
        return new Services(new FxTaskRunner("disklens-inspect", 2), new FxTaskRunner("disklens-convert", 1),
                new FxTaskRunner("disklens-measure", 1), RecentFiles.Store.standard(), engineConverter());
    }

    /** The conversion engine when it is part of the build. */
    static ConversionService engineConverter() {
        return new EngineConversions();
    }

    @Override
    public void close() {
        recentFiles.finishWriting();
        for (TaskRunner runner : new TaskRunner[] {inspection, conversions, measuring}) {
            if (runner instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // Daemon threads: nothing is left to clean up if shutting one down fails.
                }
            }
        }
    }
}

package org.disklens.gui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.disklens.gui.model.ConversionQueueViewModel;
import org.disklens.gui.model.EarlyOpen;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.model.RecentFiles;
import org.disklens.gui.view.MainView;

/** The desktop application: a window that opens the images it is given (a double-click passes them). */
public final class DiskLensApp extends Application {
    public static final String STYLESHEET = DiskLensApp.class.getResource("disklens.css").toExternalForm();

    private Services services;
    private MainViewModel model;
    private InstanceChannel instance;

    /**
     * JavaFX warns at every start that it was loaded from the class path ("Unsupported JavaFX configuration"), where
     * DiskLens keeps it on purpose (ARCHITECTURE: no module-info); a user did not ask to read that. Only that record
     * is dropped. Kept in a field: the log manager holds its loggers weakly, and would forget the filter.
     */
    private static final Logger JAVAFX_LOG = Logger.getLogger("javafx");

    /** Opens the window on {@code files}; their images are opened at once, while the toolkit starts. */
    public static void launchWith(String[] files) {
        JAVAFX_LOG.setFilter(record -> !String.valueOf(record.getMessage()).startsWith("Unsupported JavaFX configuration"));
        EarlyOpen.start(Arrays.stream(files).map(Path::of).toList());
        StartupTrace.mark("early-open");
        Application.launch(DiskLensApp.class, files);
    }

    @Override
    public void start(Stage stage) {
        StartupTrace.mark("fx-start");
        services = Services.standard();
        model = show(stage, services, getParameters().getRaw());
        listenForLaterLaunches(stage);
        keepTheLaunchersRecording();
        if (StartupTrace.enabled()) {
            traceFirstFrames(stage.getScene());
        }
    }

    /** For the start-up benchmark: notes the first frame, and the first frame with an image's Overview in it. */
    private void traceFirstFrames(Scene scene) {
        boolean[] shown = {false};
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            if (!shown[0]) {
                shown[0] = true;
                StartupTrace.mark("window-shown");
            }
            var image = model.selectedProperty().get();
            if (image != null && image.status() != org.disklens.gui.model.ImageViewModel.Status.LOADING) {
                scene.removePostLayoutPulseListener(listener[0]);
                // Drawn in the pulse whose layout just ended; noted once that pulse has been rendered.
                Platform.runLater(() -> {
                    StartupTrace.mark("overview-drawn");
                    if (StartupTrace.exitWhenDrawn()) {
                        Platform.exit();
                    }
                });
            }
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }

    /**
     * The launcher keeps what a recording run loaded as the next windows' start-up cache only when that run showed a
     * window (see src/main/launcher/disklens): this leaves the mark it looks for.
     */
    private static void keepTheLaunchersRecording() {
        String mark = System.getProperty("disklens.aot.shown", "");
        if (!mark.isEmpty()) {
            try {
                Files.writeString(Path.of(mark), "shown\n");
            } catch (IOException unwritable) {
                // Then no cache is made: the next window starts as this one did.
            }
        }
    }

    /** The window's icons at every size, decoded in the background: the first frame does not wait for them. */
    private static void addIconsOnceDecoded(Stage stage) {
        for (int size : new int[] {16, 24, 32, 48, 64, 128, 256}) {
            var url = DiskLensApp.class.getResource("icons/disklens-%d.png".formatted(size));
            if (url != null) {
                Image icon = new Image(url.toExternalForm(), true);
                icon.progressProperty().addListener((observed, before, progress) -> {
                    if (progress.doubleValue() >= 1 && !icon.isError()) {
                        stage.getIcons().add(icon);
                    }
                });
            }
        }
    }

    /** A second double-click hands its files to this window (see {@link InstanceChannel}). */
    private void listenForLaterLaunches(Stage stage) {
        var socket = InstanceChannel.defaultSocket();
        if (socket.isEmpty()) {
            return;
        }
        try {
            instance = InstanceChannel.listen(socket.get(), files -> Platform.runLater(() -> {
                model.open(files);
                stage.setIconified(false);
                stage.toFront();
            }));
        } catch (IOException | UnsupportedOperationException notAvailable) {
            // Without the channel a second launch opens a second window: still correct, only less tidy.
            instance = null;
        }
    }

    @Override
    public void stop() throws IOException {
        if (instance != null) {
            instance.close();
        }
        if (model != null) {
            model.shutdown();
        }
        if (services != null) {
            services.close();
        }
    }

    /**
     * Builds the window on {@code stage} with {@code services} and opens {@code files}; the app, the tests
     * and the screenshot generator all come through here.
     */
    public static MainViewModel show(Stage stage, Services services, List<String> files) {
        ConversionQueueViewModel conversions = new ConversionQueueViewModel(services.converter(),
                services.conversions(), services.measuring(), System::nanoTime);
        MainViewModel model = new MainViewModel(services.inspection(), new RecentFiles(services.recentFiles()),
                conversions);
        StartupTrace.mark("models-built");
        MainView view = new MainView(model);
        StartupTrace.mark("view-built");
        Scene scene = new Scene(view, 1280, 820);
        scene.getStylesheets().add(STYLESHEET);
        stage.setScene(scene);
        stage.titleProperty().bind(model.windowTitle());
        addIconsOnceDecoded(stage);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        // Before show: an image the launch opened while the toolkit started is then in the first frame, not a later one.
        model.openArguments(files);
        StartupTrace.mark("arguments-opened");
        stage.show();
        StartupTrace.mark("show-returned");
        return model;
    }
}

package org.disklens.gui;

import java.io.IOException;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.disklens.gui.model.ConversionQueueViewModel;
import org.disklens.gui.model.MainViewModel;
import org.disklens.gui.model.RecentFiles;
import org.disklens.gui.view.MainView;

/** The desktop application: a window that opens the images it is given (a double-click passes them). */
public final class DiskLensApp extends Application {
    public static final String STYLESHEET = DiskLensApp.class.getResource("disklens.css").toExternalForm();

    private Services services;
    private MainViewModel model;
    private InstanceChannel instance;

    public static void launchWith(String[] files) {
        Application.launch(DiskLensApp.class, files);
    }

    @Override
    public void start(Stage stage) {
        services = Services.standard();
        model = show(stage, services, getParameters().getRaw());
        listenForLaterLaunches(stage);
    }

    /** A second double-click hands its files to this window (see {@link InstanceChannel}). */
    private void listenForLaterLaunches(Stage stage) {
        try {
            instance = InstanceChannel.listen(InstanceChannel.defaultSocket(), files -> Platform.runLater(() -> {
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
        MainView view = new MainView(model);
        Scene scene = new Scene(view, 1280, 820);
        scene.getStylesheets().add(STYLESHEET);
        stage.setScene(scene);
        stage.titleProperty().bind(model.windowTitle());
        for (int size : new int[] {16, 24, 32, 48, 64, 128, 256}) {
            var icon = DiskLensApp.class.getResource("icons/disklens-%d.png".formatted(size));
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
            }
        }
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        model.openArguments(files);
        return model;
    }
}

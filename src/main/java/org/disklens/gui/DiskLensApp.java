package org.disklens.gui;

import java.util.List;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** The desktop application: opens the images it is given. */
public final class DiskLensApp extends Application {

    public static void launchWith(String[] files) {
        Application.launch(DiskLensApp.class, files);
    }

    @Override
    public void start(Stage stage) {
        List<String> files = getParameters().getRaw();
        stage.setTitle(files.isEmpty() ? "DiskLens" : "DiskLens — " + String.join(", ", files));
        stage.setScene(new Scene(new Label(String.join("\n", files)), 900, 600));
        stage.show();
    }
}

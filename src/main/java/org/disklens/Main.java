package org.disklens;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.disklens.cli.DiskLensCommand;
import org.disklens.gui.DiskLensApp;
import org.disklens.gui.InstanceChannel;

/**
 * One entry point, as a double-click and a terminal both call it: a verb runs the command line (which never
 * starts JavaFX, so it works without a display); nothing, or only files, opens the window on those files.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || !DiskLensCommand.COMMANDS.contains(args[0]) && !args[0].startsWith("-")) {
            List<Path> files = Arrays.stream(args).map(Path::of).toList();
            if (!InstanceChannel.forwardToRunning(InstanceChannel.defaultSocket(), files)) {
                DiskLensApp.launchWith(args);
            }
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = DiskLensCommand.execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}

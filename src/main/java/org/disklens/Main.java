package org.disklens;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.disklens.cli.DiskLensCommand;
import org.disklens.gui.DiskLensApp;
import org.disklens.gui.InstanceChannel;

/**
 * One entry point, as a double-click and a terminal both call it: a verb runs the command line (which never
 * starts JavaFX, so it works without a display); nothing, or only existing files, opens the window on those files.
 * Anything else is the command line's to answer: a mistyped verb is an unknown command, never a tab.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        org.disklens.gui.StartupTrace.mark("main");
        if (args.length > 0 && (DiskLensCommand.COMMANDS.contains(args[0]) || args[0].startsWith("-")
                || !Files.exists(Path.of(args[0])) && !looksLikeAPath(args[0]))) {
            // A verb, an option, or a word that is neither a verb nor a file: the command line says which.
            runCommandLine(args);
            return;
        }
        for (String argument : args) {
            if (!Files.isRegularFile(Path.of(argument))) {
                System.err.println("disklens: %s: %s (the window opens files; commands: disklens --help)".formatted(
                        argument, Files.isDirectory(Path.of(argument)) ? "is a folder, not a file" : "no such file"));
                System.exit(1);
            }
        }
        openWindow(args);
    }

    /** {@code disk.qcow2}, {@code ./x}, {@code /images/x}: a word a user means as a file, not as a command. */
    private static boolean looksLikeAPath(String word) {
        return word.contains("/") || word.contains(java.io.File.separator) || word.contains(".");
    }

    private static void runCommandLine(String[] args) {
        int code = DiskLensCommand.execute(args, System.out, System.err);
        if (Boolean.getBoolean("disklens.aot.training")) {
            loadCommandLineClasses();
        }
        System.exit(code);
    }

    /**
     * The launcher's recording run (see src/main/launcher/disklens) keeps the classes it loaded for the runs
     * after it. Loading, without initialising, every class of the command line and the engine makes that cache
     * cover every path a verb can take, not just the one this run took (an error, say).
     */
    private static void loadCommandLineClasses() {
        ClassLoader loader = Main.class.getClassLoader();
        try (JarFile jar = new JarFile(Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toFile())) {
            jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("org/disklens/") && name.endsWith(".class")
                            && !name.startsWith("org/disklens/gui/"))
                    .forEach(name -> {
                        try {
                            Class.forName(name.replace('/', '.').substring(0, name.length() - ".class".length()), false, loader);
                        } catch (ClassNotFoundException | LinkageError skipped) {
                            // Only a cache left incomplete.
                        }
                    });
        } catch (IOException | URISyntaxException | RuntimeException notAJar) {
            // Run from a classes folder (a build, a test): nothing to record for.
        }
    }

    /**
     * The window on {@code files}: handed to the window already open in this desktop session if there is one (see
     * {@link InstanceChannel}), else a new one; or one line saying why there is none (a terminal without a display is
     * the usual case).
     */
    private static void openWindow(String[] files) {
        if (lacksDisplay()) {
            System.err.println("disklens: no display to open the window on (DISPLAY is not set);"
                    + " the command line works without one: disklens --help");
            System.exit(1);
        }
        List<Path> paths = Arrays.stream(files).map(Path::of).toList();
        Optional<Path> running = InstanceChannel.defaultSocket();
        if (running.isPresent() && InstanceChannel.forwardToRunning(running.get(), paths)) {
            return;
        }
        try {
            DiskLensApp.launchWith(files);
        } catch (RuntimeException failed) {
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            String hint = String.valueOf(cause.getMessage()).contains("GTK")
                    ? " (the window needs GTK 3: on Debian or Ubuntu, apt install libgtk-3-0)" : "";
            System.err.println("disklens: cannot open the window: " + cause.getMessage() + hint);
            System.exit(1);
        }
    }

    /** On Linux and the BSDs JavaFX needs an X11 or Wayland display; Windows and macOS always have one. */
    private static boolean lacksDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        boolean usesX11 = !os.startsWith("windows") && !os.startsWith("mac");
        boolean headless = "Headless".equalsIgnoreCase(System.getProperty("glass.platform"))
                || "Monocle".equalsIgnoreCase(System.getProperty("glass.platform"));
        return usesX11 && !headless && isBlank(System.getenv("DISPLAY")) && isBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}

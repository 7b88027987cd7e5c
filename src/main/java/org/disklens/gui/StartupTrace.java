package org.disklens.gui;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Moments of a window's start, for the start-up benchmark ({@code src/test/bench/window-start.sh}): with
 * {@code -Ddisklens.startup.trace=FILE} each moment is appended to FILE as {@code NAME EPOCH_MILLIS CPU_MILLIS} (the
 * process's CPU time so far, where {@code /proc} tells it: on a busy machine it says more than the clock); with
 * {@code -Ddisklens.startup.exit=true} as well, the window closes once the Overview of its first image is drawn.
 * Without the property nothing is written.
 */
public final class StartupTrace {
    private static final String FILE = System.getProperty("disklens.startup.trace", "");

    private StartupTrace() {
    }

    public static boolean enabled() {
        return !FILE.isEmpty();
    }

    /** Notes that {@code moment} happened now. */
    public static void mark(String moment) {
        if (!enabled()) {
            return;
        }
        try {
            Files.writeString(Path.of(FILE), "%s %d %d%n".formatted(moment, System.currentTimeMillis(), cpuMillis()),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException unwritable) {
            // A benchmark that cannot write its trace simply finds no figure.
        }
    }

    /** User and system time of this process (fields 14 and 15 of /proc/self/stat, in 1/100 s), or -1. */
    private static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException noProc) {
            return -1;
        }
    }

    /** Whether the window should close once its first Overview is drawn (a benchmark run). */
    static boolean exitWhenDrawn() {
        return enabled() && Boolean.getBoolean("disklens.startup.exit");
    }
}

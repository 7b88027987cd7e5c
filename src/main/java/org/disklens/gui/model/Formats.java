package org.disklens.gui.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.disklens.image.Units;

/** Ranges, durations, dates and clocks as people read them (sizes and shares: {@link Units}). */
public final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /**
     * A guest range in one unit, the one that suits its end: {@code 512 – 640 KiB}, {@code 2 – 2.001 GiB}
     * (up to three decimals, so neighbouring cells read differently).
     */
    public static String range(long start, long end) {
        int unit = 0;
        double scale = 1;
        while (end >= scale * 1024 && unit < UNITS.length - 1) {
            scale *= 1024;
            unit++;
        }
        return "%s – %s %s".formatted(decimal(start / scale), decimal(end / scale), UNITS[unit]);
    }

    /** Two sizes in the unit of the larger: {@code 20–25 MiB}. */
    public static String sizeRange(long smaller, long larger) {
        int unit = unitOf(larger);
        double scale = Math.pow(1024, unit);
        return "%s–%s %s".formatted(decimal(smaller / scale), decimal(larger / scale), UNITS[unit]);
    }

    /**
     * An offset in the unit that suits {@code scaleEnd} (the end of the axis it labels), so one axis never mixes
     * {@code 1024 MiB} and {@code 2 GiB}: {@code 0.98 GiB}, {@code 2 GiB}.
     */
    public static String offset(long guestOffset, long scaleEnd) {
        int unit = unitOf(scaleEnd);
        double value = guestOffset / Math.pow(1024, unit);
        return Units.trimZeroes(String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value))
                + " " + UNITS[unit];
    }

    /** The unit {@link #range} uses for a range ending at {@code end}. */
    private static int unitOf(long end) {
        int unit = 0;
        double scale = 1;
        while (end >= scale * 1024 && unit < UNITS.length - 1) {
            scale *= 1024;
            unit++;
        }
        return unit;
    }

    private static String decimal(double value) {
        return Units.trimZeroes(String.format(Locale.ROOT, "%.3f", value));
    }

    /** {@code 1:02:03} or {@code 2:03}; {@code –} when unknown. */
    public static String duration(Duration duration) {
        if (duration == null || duration.isNegative()) {
            return "–";
        }
        long seconds = duration.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    public static String date(long epochSeconds) {
        return DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** A guest clock in nanoseconds as {@code HH:MM:SS.mmm}. */
    public static String clock(long nanos) {
        long millis = nanos / 1_000_000;
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }
}

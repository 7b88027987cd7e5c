package org.disklens.gui.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers as people read them: binary sizes, percentages, offsets, durations. */
public final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /** {@code 10 GiB}, {@code 193 KiB}, {@code 1.5 MiB}, {@code 512 B}. */
    public static String size(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        String number = value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f";
        String text = String.format(Locale.ROOT, number, value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text + " " + UNITS[unit];
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

    private static String decimal(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** {@code 10,737,418,240 bytes}. */
    public static String exactBytes(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    /** A share as a percentage with enough digits to be non-zero when the share is: {@code 0.002 %}. */
    public static String percent(long part, long whole) {
        if (whole <= 0) {
            return "–";
        }
        double value = 100.0 * part / whole;
        if (value == 0) {
            return "0 %";
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.0f %%", value);
        }
        if (value >= 1) {
            return String.format(Locale.ROOT, "%.1f %%", value);
        }
        // One significant digit below 1 %: "0.002 %", as people quote thin-provisioning ratios.
        int digits = Math.min(8, Math.max(1, (int) Math.ceil(-Math.log10(value))));
        return String.format(Locale.ROOT, "%." + digits + "f %%", value).replaceAll("0+ %$", " %");
    }

    /** Offsets as qemu-img prints them: {@code 0x50000}. */
    public static String hex(long offset) {
        return "0x" + Long.toHexString(offset);
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

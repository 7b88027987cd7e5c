package org.disklens.image;

import java.util.Locale;

/**
 * Sizes, shares and offsets as people read them, in the two styles DiskLens shows: its own ({@link #size},
 * {@link #percent}: the window, header fields) and qemu-img's ({@link #qemuSize}, {@link #qemuPercent}: the command
 * line's human output, which scripts written for qemu-img compare).
 */
public final class Units {
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** {@code 10 GiB}, {@code 193 KiB}, {@code 1.5 MiB}, {@code 512 B}: the unit once the value reaches 1024. */
    public static String size(long bytes) {
        return binary(bytes, 1024);
    }

    /** qemu-img's sizes: the next unit from 0.95 of 1024 on ({@code 0.98 KiB}), as {@code size_to_str} does. */
    public static String qemuSize(long bytes) {
        return binary(bytes, 1024 * 0.95);
    }

    private static String binary(long bytes, double threshold) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= threshold && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        String text = String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
        return trimZeroes(text) + " " + BINARY[unit];
    }

    /** {@code 1.50} → {@code 1.5}, {@code 2.00} → {@code 2}. */
    public static String trimZeroes(String decimal) {
        return decimal.contains(".") ? decimal.replaceAll("0+$", "").replaceAll("\\.$", "") : decimal;
    }

    /** {@code 10,737,418,240 bytes}. */
    public static String exactBytes(long bytes) {
        return String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    /** Offsets as qemu-img prints them: {@code 0x50000}. */
    public static String hex(long offset) {
        return "0x" + Long.toHexString(offset);
    }

    /** A share with enough digits to be non-zero when the share is: {@code 0.002 %}, {@code 12 %}; {@code –} of nothing. */
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

    /** The command line's share: two decimals, four below 0.01 %, {@code n/a} of nothing. */
    public static String qemuPercent(long part, long whole) {
        if (whole == 0) {
            return "n/a";
        }
        double value = 100.0 * part / whole;
        return value >= 0.01 || value == 0 ? "%.2f %%".formatted(value) : "%.4f %%".formatted(value);
    }
}

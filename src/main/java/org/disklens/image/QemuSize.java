package org.disklens.image;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * qemu's size syntax ({@code qemu_strtosz}): a number, optionally with a fraction, and an optional binary suffix
 * {@code B K M G T P E} (either case); a plain number is bytes. {@code 64k}, {@code 1.5G}, {@code 4096}.
 */
public final class QemuSize {
    private QemuSize() {
    }

    /** The size in bytes; {@link NumberFormatException} for anything else, negative or beyond 2^63-1. */
    public static long parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new NumberFormatException("empty size");
        }
        int shift = switch (Character.toUpperCase(value.charAt(value.length() - 1))) {
            case 'B' -> 0;
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> -1;
        };
        String number = shift >= 0 ? value.substring(0, value.length() - 1) : value;
        if (number.isEmpty() || !number.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            throw new NumberFormatException("not a size: " + text);
        }
        BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(2).pow(Math.max(shift, 0)))
                .setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new NumberFormatException("size too large: " + text);
        }
        return bytes.longValueExact();
    }
}

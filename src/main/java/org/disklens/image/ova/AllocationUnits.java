package org.disklens.image.ova;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * OVF's allocation units for a disk's capacity ({@code ovf:capacityAllocationUnits}) and a memory item
 * ({@code rasd:AllocationUnits}): DMTF DSP0004's programmatic units as exporters write them — {@code byte},
 * {@code byte * 2^30}, {@code byte * 10^9}, {@code byte * 1024} — and the older words {@code KiloBytes},
 * {@code MegaBytes}, {@code GigaBytes}, {@code TeraBytes} (binary, as VirtualBox means them). Anything else, or a
 * product past 2^63, is unknown (empty): the value is then shown as written.
 */
final class AllocationUnits {
    private AllocationUnits() {
    }

    /** {@code quantity} (decimal) times {@code units}, in bytes. */
    static OptionalLong bytes(String quantity, String units) {
        OptionalLong count = decimal(quantity.strip());
        OptionalLong multiplier = multiplier(units);
        if (count.isEmpty() || multiplier.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Math.multiplyExact(count.getAsLong(), multiplier.getAsLong()));
        } catch (ArithmeticException overflow) {
            return OptionalLong.empty();
        }
    }

    /** Bytes per unit. */
    static OptionalLong multiplier(String units) {
        String spelled = units.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        if (spelled.isEmpty()) {
            return OptionalLong.of(1);
        }
        String[] terms = spelled.split("\\*", -1);
        long value = switch (terms[0]) {
            case "byte", "bytes" -> 1;
            case "kilobyte", "kilobytes", "kb", "kib" -> 1L << 10;
            case "megabyte", "megabytes", "mb", "mib" -> 1L << 20;
            case "gigabyte", "gigabytes", "gb", "gib" -> 1L << 30;
            case "terabyte", "terabytes", "tb", "tib" -> 1L << 40;
            default -> -1;
        };
        if (value < 0) {
            return OptionalLong.empty();
        }
        try {
            for (int i = 1; i < terms.length; i++) {
                OptionalLong factor = factor(terms[i]);
                if (factor.isEmpty()) {
                    return OptionalLong.empty();
                }
                value = Math.multiplyExact(value, factor.getAsLong());
            }
        } catch (ArithmeticException overflow) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(value);
    }

    /** {@code 2^N}, {@code 10^N} or a plain number. */
    private static OptionalLong factor(String term) {
        int caret = term.indexOf('^');
        if (caret < 0) {
            return decimal(term);
        }
        OptionalLong base = decimal(term.substring(0, caret));
        OptionalLong exponent = decimal(term.substring(caret + 1));
        if (base.isEmpty() || exponent.isEmpty() || exponent.getAsLong() > 63) {
            return OptionalLong.empty();
        }
        long value = 1;
        for (long i = 0; i < exponent.getAsLong(); i++) {
            value = Math.multiplyExact(value, base.getAsLong());
        }
        return OptionalLong.of(value);
    }

    private static OptionalLong decimal(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}

package org.disklens.gui.view;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.disklens.image.Units;

/** Byte counts as binary sizes on chart axes and labels ({@code 64 KiB}, {@code 10 GiB}). */
final class SizeFormat extends NumberFormat {
    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(Units.size(Math.round(number)));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(Units.size(number));
    }

    /**
     * Ticks at powers of two (64 KiB, 256 GiB, 1 TiB), each labelled exactly in one unit: the axis picks the smallest
     * whose labels do not overlap, measuring them with this format (a decimal unit labelled in binary sizes gave
     * "186 GiB373 GiB559…").
     */
    static TickUnits binaryTickUnits() {
        TickUnits units = new TickUnits();
        for (int bits = 0; bits < 63; bits++) {
            units.add(new NumberTickUnit((double) (1L << bits), new SizeFormat()));
        }
        return units;
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        return null;
    }
}

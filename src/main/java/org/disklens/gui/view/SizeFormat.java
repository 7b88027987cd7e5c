package org.disklens.gui.view;

import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import org.disklens.gui.model.Formats;
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

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        return null;
    }
}

package org.disklens.cli;

import java.io.PrintWriter;
import java.util.Optional;
import org.disklens.convert.TargetSpec;
import org.disklens.image.FormatWriter;
import org.disklens.image.ImageFormat;
import org.disklens.image.ImageFormats;

/** {@code -o help}: the creation options DiskLens accepts for a format, in qemu-img's layout. */
final class OptionsHelp {
    private OptionsHelp() {
    }

    static void print(PrintWriter out, String format) {
        out.println("Supported options:");
        Optional<FormatWriter> writer = ImageFormats.byName(format).flatMap(ImageFormat::writer);
        if (writer.isEmpty()) {
            out.println("  (none: '%s' cannot be written; formats: %s)".formatted(format,
                    String.join(", ", TargetSpec.writableFormats())));
        } else {
            for (FormatWriter.OptionHelp option : writer.get().optionsHelp()) {
                out.printf("  %-22s - %s%n", option.option(), option.description());
            }
        }
        out.flush();
    }
}

package org.disklens.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.PrintWriter;

/** JSON output, indented with four spaces as qemu-img does. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("    ", "\n"))
            .withArrayIndenter(new DefaultIndenter("    ", "\n"))
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private Json() {
    }

    static void print(PrintWriter out, Object value) throws IOException {
        out.println(PRETTY.writeValueAsString(value));
        out.flush();
    }

    /**
     * A generator writing to {@code out} as {@link #print} would, for output too long to build in memory first
     * ({@code ls -R} of 100,000 files). The caller closes it; {@code out} stays open.
     */
    static JsonGenerator stream(PrintWriter out) throws IOException {
        return PRETTY.createGenerator(out);
    }

    /** One value on one line, for streamed arrays such as {@code map}. */
    static String compact(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }
}

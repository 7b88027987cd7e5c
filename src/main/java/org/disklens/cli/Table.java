package org.disklens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Aligned "key: value" lines for human output. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void row(String key, Object value) {
        rows.add(new String[] {key + ":", String.valueOf(value)});
    }

    void print(PrintWriter out, String indent) {
        int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(0);
        for (String[] row : rows) {
            out.println(indent + row[0] + " ".repeat(width - row[0].length() + 1) + row[1]);
        }
    }
}

package org.disklens.content.lvm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * LVM2's configuration text, the language of its metadata: {@code key = value} and {@code name { ... }} sections,
 * values that are strings ({@code "..."} with backslash escapes, or {@code '...'} without), integers, reals and flat
 * arrays {@code [v, v, ...]}; {@code #} comments to the end of the line; a NUL ends the text. Parsed with limits on
 * nesting, string length and the number of items, so hostile text costs at most a linear scan.
 */
final class ConfigText {
    static final int MAX_DEPTH = 16;
    static final int MAX_STRING = 1 << 20;
    static final int MAX_ITEMS = 200_000;
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern REAL = Pattern.compile("[+-]?[0-9]*\\.[0-9]+|[+-]?[0-9]+\\.[0-9]*");

    /** A parsed value. */
    sealed interface Value permits Text, Int, Real, Items, Section {
    }

    record Text(String value) implements Value {
    }

    record Int(long value) implements Value {
    }

    record Real(double value) implements Value {
    }

    record Items(List<Value> values) implements Value {
    }

    /** A section, or the whole text (named ""), with its entries in text order. */
    record Section(String name, List<Entry> entries) implements Value {
        Optional<Value> get(String key) {
            return entries.stream().filter(entry -> entry.key().equals(key)).map(Entry::value).findFirst();
        }

        List<Section> sections() {
            return entries.stream().map(Entry::value).filter(Section.class::isInstance).map(Section.class::cast)
                    .toList();
        }
    }

    record Entry(String key, Value value) {
    }

    /** What is wrong at byte {@code position} of the text; {@code limit} when the text is only too big. */
    static final class Problem extends Exception {
        final int position;
        final boolean limit;

        Problem(int position, String message, boolean limit) {
            super(message, null, false, false);
            this.position = position;
            this.limit = limit;
        }
    }

    private final byte[] text;
    private final int end;
    private int at;
    private int items;

    private ConfigText(byte[] text, int length) {
        this.text = text;
        int stop = 0;
        while (stop < length && text[stop] != 0) {
            stop++;
        }
        this.end = stop;
    }

    /** Parses the first {@code length} bytes of {@code text} (up to a NUL). */
    static Section parse(byte[] text, int length) throws Problem {
        ConfigText parser = new ConfigText(text, length);
        List<Entry> entries = parser.entries(0);
        if (parser.at < parser.end) {
            throw parser.problem("unexpected '" + (char) parser.text[parser.at] + "'");
        }
        return new Section("", entries);
    }

    private List<Entry> entries(int depth) throws Problem {
        List<Entry> entries = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (at >= end || text[at] == '}') {
                return entries;
            }
            entries.add(entry(depth));
        }
    }

    private Entry entry(int depth) throws Problem {
        int keyAt = at;
        String key = word();
        if (key.isEmpty()) {
            throw problem("expected a name, found '" + (char) text[at] + "'");
        }
        count(keyAt);
        skipBlanks();
        if (at < end && text[at] == '{') {
            if (depth + 1 > MAX_DEPTH) {
                throw new Problem(at, "sections nested deeper than " + MAX_DEPTH, true);
            }
            at++;
            List<Entry> inner = entries(depth + 1);
            expect('}');
            return new Entry(key, new Section(key, inner));
        }
        expect('=');
        skipBlanks();
        return new Entry(key, value(true));
    }

    private Value value(boolean arrays) throws Problem {
        if (at >= end) {
            throw problem("expected a value, found the end of the text");
        }
        byte first = text[at];
        if (first == '"' || first == '\'') {
            return new Text(string(first));
        }
        if (first == '[' && arrays) {
            return items();
        }
        int wordAt = at;
        String word = word();
        if (word.isEmpty()) {
            throw problem("expected a value, found '" + (char) first + "'");
        }
        return number(word, wordAt);
    }

    private Items items() throws Problem {
        at++;
        List<Value> values = new ArrayList<>();
        skipBlanks();
        while (at < end && text[at] != ']') {
            count(at);
            values.add(value(false));
            skipBlanks();
            if (at < end && text[at] == ',') {
                at++;
                skipBlanks();
            } else {
                break;
            }
        }
        expect(']');
        return new Items(List.copyOf(values));
    }

    private Value number(String word, int wordAt) throws Problem {
        try {
            if (INTEGER.matcher(word).matches()) {
                return new Int(Long.parseLong(word));
            }
            if (REAL.matcher(word).matches()) {
                return new Real(Double.parseDouble(word));
            }
        } catch (NumberFormatException tooLarge) {
            throw new Problem(wordAt, "number " + shorten(word) + " is out of range", false);
        }
        throw new Problem(wordAt, "expected a value, found " + shorten(word), false);
    }

    private String string(byte quote) throws Problem {
        int start = at++;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (at < end && text[at] != quote) {
            if (quote == '"' && text[at] == '\\' && at + 1 < end) {
                at++;
            }
            bytes.write(text[at++]);
            if (bytes.size() > MAX_STRING) {
                throw new Problem(start, "string longer than " + MAX_STRING + " bytes", true);
            }
        }
        if (at >= end) {
            throw new Problem(start, "string does not end", false);
        }
        at++;
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A run of characters up to a blank or punctuation: a name or a number. */
    private String word() throws Problem {
        int start = at;
        while (at < end && !delimiter(text[at])) {
            at++;
            if (at - start > MAX_STRING) {
                throw new Problem(start, "name longer than " + MAX_STRING + " bytes", true);
            }
        }
        return new String(text, start, at - start, StandardCharsets.UTF_8);
    }

    private static boolean delimiter(byte c) {
        return blank(c) || c == '#' || c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == '='
                || c == '"' || c == '\'';
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private void skipBlanks() {
        while (at < end) {
            if (blank(text[at])) {
                at++;
            } else if (text[at] == '#') {
                while (at < end && text[at] != '\n') {
                    at++;
                }
            } else {
                return;
            }
        }
    }

    private void expect(char c) throws Problem {
        skipBlanks();
        if (at >= end) {
            throw problem("expected '" + c + "', found the end of the text");
        }
        if (text[at] != c) {
            throw problem("expected '" + c + "', found '" + (char) text[at] + "'");
        }
        at++;
    }

    private void count(int position) throws Problem {
        if (++items > MAX_ITEMS) {
            throw new Problem(position, "more than " + MAX_ITEMS + " items", true);
        }
    }

    private Problem problem(String message) {
        return new Problem(at, message, false);
    }

    private static String shorten(String word) {
        return word.length() > 40 ? word.substring(0, 40) + "..." : word;
    }
}

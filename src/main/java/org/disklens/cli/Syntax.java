package org.disklens.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One command's syntax, declared in code: flags, options with a value and positional parameters, each bound to
 * what it sets. Deliberately without annotations or reflection: a command line is often run in a loop by a
 * script, and reading a command model by reflection cost every run ~0.17 s, half its start (ARCHITECTURE.md).
 * Options follow getopt as qemu-img does: {@code -O raw} or {@code -Oraw}, clustered flags ({@code -pc}),
 * {@code --name value} or {@code --name=value}, {@code --} ends the options; a repeated option calls its setter
 * again (the last one wins unless the setter collects).
 */
final class Syntax {
    /** Receives an option's value or a parameter; a {@link UsageError} (or any runtime failure) rejects it. */
    @FunctionalInterface
    interface Setter {
        void set(String value) throws UsageError;
    }

    /** A command line that does not fit the syntax; said in one line, with a pointer to the command's help. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    /** What the arguments ask for, besides setting the command's fields. */
    enum Request { RUN, HELP, VERSION }

    private record Option(List<String> names, String label, String description, Setter setter) {
        boolean takesValue() {
            return label != null;
        }

        String signature() {
            return String.join(", ", names) + (takesValue() ? " " + label : "");
        }
    }

    private record Parameter(String label, boolean required, Setter setter) {
    }

    private static final int HELP_WIDTH = 100;

    private final String command;
    private final String description;
    private final List<Option> options = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private Request request = Request.RUN;

    /** {@code command} as the user types it ({@code "disklens convert"}); every command answers -h and -V. */
    Syntax(String command, String description) {
        this.command = command;
        this.description = description;
    }

    String description() {
        return description;
    }

    /** An option without a value; {@code names} is comma-separated ({@code "-h,--help"}). */
    Syntax flag(String names, String description, Runnable set) {
        options.add(new Option(List.of(names.split(",")), null, description, ignored -> set.run()));
        return this;
    }

    /** An option with a value, shown as {@code label} in help. */
    Syntax option(String names, String label, String description, Setter set) {
        options.add(new Option(List.of(names.split(",")), label, description, set));
        return this;
    }

    /**
     * An option qemu-img has and DiskLens deliberately has not (it would write to an image): listed in help, and
     * refused with {@code why} rather than as unknown. {@code label} is null for a flag.
     */
    Syntax refused(String names, String label, String why) {
        Setter refuse = ignored -> {
            throw new UsageError(names.split(",")[0] + ": " + why);
        };
        options.add(new Option(List.of(names.split(",")), label, "Not supported: " + why + ".", refuse));
        return this;
    }

    /** The next positional parameter, which must be given. */
    Syntax parameter(String label, Setter set) {
        parameters.add(new Parameter(label, true, set));
        return this;
    }

    /** The next positional parameter, which may be left out (then only the ones after it may be too). */
    Syntax optionalParameter(String label, Setter set) {
        parameters.add(new Parameter(label, false, set));
        return this;
    }

    /** Sets what {@code args} say; help and version requests win over everything else on the line. */
    Request parse(List<String> args) throws UsageError {
        List<Option> all = withStandardOptions();
        int position = 0;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                position = setParameter(position, arg);
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                i = setLongOption(all, args, i);
            } else {
                i = setShortOptions(all, args, i);
            }
            if (request != Request.RUN) {
                return request;
            }
        }
        for (int missing = position; missing < parameters.size(); missing++) {
            if (parameters.get(missing).required()) {
                throw new UsageError("missing " + parameters.get(missing).label());
            }
        }
        return Request.RUN;
    }

    private List<Option> withStandardOptions() {
        List<Option> all = new ArrayList<>(options);
        all.add(new Option(List.of("-h", "--help"), null, "Show this help and exit.", ignored -> request = Request.HELP));
        all.add(new Option(List.of("-V", "--version"), null, "Print the version and exit.",
                ignored -> request = Request.VERSION));
        return all;
    }

    private int setParameter(int position, String value) throws UsageError {
        if (position >= parameters.size()) {
            throw new UsageError("unexpected argument '%s'".formatted(value));
        }
        set(parameters.get(position).setter(), parameters.get(position).label(), value);
        return position + 1;
    }

    /** {@code --name}, {@code --name value} or {@code --name=value}; returns the index of the last token used. */
    private int setLongOption(List<Option> all, List<String> args, int index) throws UsageError {
        String arg = args.get(index);
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        Option option = find(all, name).orElseThrow(() -> new UsageError("unknown option '%s'".formatted(name)));
        if (!option.takesValue()) {
            if (equals >= 0) {
                throw new UsageError("option '%s' takes no value".formatted(name));
            }
            set(option.setter(), name, "");
            return index;
        }
        if (equals >= 0) {
            set(option.setter(), name, arg.substring(equals + 1));
            return index;
        }
        return setFromNext(option, name, args, index);
    }

    /** {@code -O raw}, {@code -Oraw}, or flags clustered as {@code -pc}; returns the index of the last token used. */
    private int setShortOptions(List<Option> all, List<String> args, int index) throws UsageError {
        String arg = args.get(index);
        for (int at = 1; at < arg.length(); at++) {
            String name = "-" + arg.charAt(at);
            Optional<Option> found = find(all, name);
            if (found.isEmpty()) {
                throw new UsageError("unknown option '%s'".formatted(at == 1 ? arg : name));
            }
            Option option = found.get();
            if (!option.takesValue()) {
                set(option.setter(), name, "");
            } else if (at + 1 < arg.length()) {
                set(option.setter(), name, arg.substring(at + 1));
                return index;
            } else {
                return setFromNext(option, name, args, index);
            }
        }
        return index;
    }

    private int setFromNext(Option option, String name, List<String> args, int index) throws UsageError {
        if (index + 1 >= args.size()) {
            throw new UsageError("option '%s' needs a value (%s)".formatted(name, option.label()));
        }
        set(option.setter(), name, args.get(index + 1));
        return index + 1;
    }

    private static Optional<Option> find(List<Option> all, String name) {
        return all.stream().filter(option -> option.names().contains(name)).findFirst();
    }

    private static void set(Setter setter, String what, String value) throws UsageError {
        try {
            setter.set(value);
        } catch (RuntimeException invalid) {
            throw new UsageError("invalid value for %s: '%s'".formatted(what, value));
        }
    }

    /** A whole number for option {@code name}. */
    static int integer(String name, String value) throws UsageError {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException notANumber) {
            throw new UsageError("invalid value for %s: '%s' is not a whole number".formatted(name, value));
        }
    }

    void printUsage(PrintWriter out) {
        StringBuilder usage = new StringBuilder("Usage: ").append(command).append(" [OPTIONS]");
        for (Parameter parameter : parameters) {
            usage.append(' ').append(parameter.required() ? parameter.label() : "[" + parameter.label() + "]");
        }
        out.println(usage);
        out.println(description);
        out.println();
        out.println("Options:");
        List<Option> all = withStandardOptions();
        List<String[]> rows = all.stream().map(option -> new String[] {option.signature(), option.description()}).toList();
        printColumns(out, rows);
        out.flush();
    }

    /**
     * Two columns, {@code name  description}, the description wrapped to the help's width; a name too long for
     * the first column puts its description on the next line.
     */
    static void printColumns(PrintWriter out, List<String[]> rows) {
        int nameWidth = Math.min(24, rows.stream().mapToInt(row -> row[0].length()).max().orElse(0));
        String indent = " ".repeat(2 + nameWidth + 2);
        for (String[] row : rows) {
            String name = row[0];
            StringBuilder line = new StringBuilder("  ").append(name);
            if (name.length() > nameWidth) {
                out.println(line);
                line = new StringBuilder(indent);
            } else {
                line.append(" ".repeat(nameWidth - name.length() + 2));
            }
            for (String word : row[1].split(" ")) {
                if (line.length() + 1 + word.length() > HELP_WIDTH && line.length() > indent.length()) {
                    out.println(line.toString().stripTrailing());
                    line = new StringBuilder(indent);
                }
                if (line.length() > indent.length()) {
                    line.append(' ');
                }
                line.append(word);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}

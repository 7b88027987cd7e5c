package org.disklens.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The command line: verbs and flags follow qemu-img (see README and the CLI contract). */
public final class DiskLensCommand {
    static final int ERROR = 1;
    static final String VERSION = org.disklens.Version.TEXT;
    private static final String DESCRIPTION = "Inspect and convert virtual-machine disk images, and the files in them.";

    /** The verbs in the order help lists them, each made only when it is run. */
    private static final Map<String, Supplier<Verb>> VERBS = verbs();

    /** The verbs; anything else on the command line is a file for the GUI. */
    public static final Set<String> COMMANDS = Stream.concat(VERBS.keySet().stream(),
            Stream.of("help", "--help", "-h", "--version", "-V")).collect(Collectors.toUnmodifiableSet());

    private DiskLensCommand() {
    }

    private static Map<String, Supplier<Verb>> verbs() {
        Map<String, Supplier<Verb>> verbs = new LinkedHashMap<>();
        verbs.put("info", InfoCommand::new);
        verbs.put("map", MapCommand::new);
        verbs.put("check", CheckCommand::new);
        verbs.put("compare", CompareCommand::new);
        verbs.put("snapshot", SnapshotCommand::new);
        verbs.put("convert", ConvertCommand::new);
        verbs.put("measure", MeasureCommand::new);
        verbs.put("ls", LsCommand::new);
        verbs.put("extract", ExtractCommand::new);
        verbs.put("cat", CatCommand::new);
        verbs.put("df", DfCommand::new);
        verbs.put("vms", VmsCommand::new);
        return Collections.unmodifiableMap(verbs);
    }

    /** Each verb's syntax, in help's order: what the man page and the shell completion are generated from. */
    static Map<String, Syntax> syntaxes() {
        Map<String, Syntax> syntaxes = new LinkedHashMap<>();
        VERBS.forEach((name, verb) -> syntaxes.put(name, verb.get().syntax()));
        return syntaxes;
    }

    /** {@code disklens VERB} as help and error messages name it. */
    static String commandName(String verb) {
        return "disklens " + verb;
    }

    /** Runs the command line and returns its exit code; writes to {@code stdout} and {@code stderr}, never throws. */
    public static int execute(String[] args, OutputStream stdout, OutputStream stderr) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
        try {
            return dispatch(List.of(args), stdout, out, err);
        } catch (RuntimeException | Error unexpected) {
            err.println(Failure.describe("error", unexpected));
            return ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> args, OutputStream stdout, PrintWriter out, PrintWriter err) {
        String first = args.isEmpty() ? "--help" : args.getFirst();
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        if (VERBS.containsKey(first)) {
            return run(first, VERBS.get(first).get(), rest, stdout, out, err);
        }
        return switch (first) {
            case "help", "-h", "--help" -> help(first.equals("help") ? rest : List.of(), out, err);
            case "-V", "--version" -> {
                out.println(VERSION);
                yield 0;
            }
            default -> first.startsWith("-") ? usageError(err, "unknown option '%s'".formatted(first), "disklens", ERROR)
                    : unknownCommand(err, first);
        };
    }

    private static int run(String name, Verb verb, List<String> args, OutputStream stdout, PrintWriter out,
                           PrintWriter err) {
        Syntax syntax = verb.syntax();
        Syntax.Request request;
        try {
            request = syntax.parse(args);
        } catch (Syntax.UsageError invalid) {
            return usageError(err, invalid.getMessage(), commandName(name), verb.errorCode());
        }
        switch (request) {
            case HELP -> syntax.printUsage(out);
            case VERSION -> out.println(VERSION);
            case RUN -> {
                try {
                    return verb.run(stdout, out, err);
                } catch (IOException | RuntimeException | Error failure) {
                    out.flush();
                    err.println(Failure.describe(verb.subject(failure), failure));
                    return verb.errorCode();
                }
            }
        }
        return 0;
    }

    /** {@code disklens help [VERB]}. */
    private static int help(List<String> args, PrintWriter out, PrintWriter err) {
        if (args.isEmpty()) {
            printUsage(out);
            return 0;
        }
        Supplier<Verb> verb = VERBS.get(args.getFirst());
        if (verb == null) {
            return usageError(err, "unknown command '%s'".formatted(args.getFirst()), "disklens", ERROR);
        }
        verb.get().syntax().printUsage(out);
        return 0;
    }

    /** "unknown command 'infoo' (did you mean 'info'?)", or the pointer to help when no verb is that close. */
    private static int unknownCommand(PrintWriter err, String word) {
        String message = "unknown command '%s'".formatted(word);
        return closestVerb(word).map(verb -> {
            err.println("disklens: %s (did you mean '%s'?)".formatted(message, verb));
            return ERROR;
        }).orElseGet(() -> usageError(err, message, "disklens", ERROR));
    }

    /**
     * The verb a few typing mistakes (letters added, left out or changed) from {@code word}, if one is: at most two, and
     * at most one for a verb of two or three letters, so that any short word does not look like {@code ls}.
     */
    static java.util.Optional<String> closestVerb(String word) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String verb : VERBS.keySet()) {
            int distance = editDistance(word.toLowerCase(java.util.Locale.ROOT), verb);
            if (distance <= Math.min(2, verb.length() / 2) && distance < bestDistance) {
                best = verb;
                bestDistance = distance;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /** Levenshtein distance, one row at a time. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int changed = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(changed, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static int usageError(PrintWriter err, String message, String command, int code) {
        err.println("disklens: %s (see '%s --help')".formatted(message, command));
        return code;
    }

    private static void printUsage(PrintWriter out) {
        out.println("Usage: disklens COMMAND [OPTIONS] [ARGUMENTS]");
        out.println("       disklens [FILE...]   (opens the window on the files)");
        out.println(DESCRIPTION);
        out.println();
        out.println("Commands:");
        List<String[]> rows = new ArrayList<>();
        VERBS.forEach((name, verb) -> rows.add(new String[] {name, verb.get().syntax().description()}));
        rows.add(new String[] {"help", "Show a command's options: disklens help COMMAND."});
        Syntax.printColumns(out, rows);
        out.println();
        out.println("Options:");
        Syntax.printColumns(out, List.of(new String[] {"-h, --help", "Show this help and exit."},
                new String[] {"-V, --version", "Print the version and exit."}));
        out.println();
        out.println("'disklens COMMAND --help' shows a command's options.");
    }
}

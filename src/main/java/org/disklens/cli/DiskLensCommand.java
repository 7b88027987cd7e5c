package org.disklens.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: verbs and flags follow qemu-img (see README and the CLI contract). */
@Command(name = "disklens", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "DiskLens 0.1.0",
        description = "Inspect and convert virtual-machine disk images (qcow2, vmdk, raw, iso).")
public final class DiskLensCommand implements Runnable {
    static final int ERROR = 1;

    /** The verbs in the order help lists them, each made only when it is needed. */
    private static final Map<String, Supplier<Object>> VERBS = verbs();

    /** The verbs; anything else on the command line is a file for the GUI. */
    public static final Set<String> COMMANDS = Stream.concat(VERBS.keySet().stream(),
            Stream.of("help", "--help", "-h", "--version", "-V")).collect(Collectors.toUnmodifiableSet());

    @Override
    public void run() {
        withVerbs(new CommandLine(this), VERBS.keySet()).usage(System.out);
    }

    private static Map<String, Supplier<Object>> verbs() {
        Map<String, Supplier<Object>> verbs = new LinkedHashMap<>();
        verbs.put("info", InfoCommand::new);
        verbs.put("map", MapCommand::new);
        verbs.put("check", CheckCommand::new);
        verbs.put("compare", CompareCommand::new);
        verbs.put("snapshot", SnapshotCommand::new);
        verbs.put("convert", ConvertCommand::new);
        verbs.put("measure", MeasureCommand::new);
        verbs.put("ls", LsCommand::new);
        verbs.put("extract", ExtractCommand::new);
        verbs.put("vms", VmsCommand::new);
        return Collections.unmodifiableMap(verbs);
    }

    /**
     * Picocli reads every verb's annotations by reflection when it is added (about 0.1 s of a short run's
     * start for all ten), so a run adds only its own verb; {@code help} and unknown verbs get them all.
     */
    private static CommandLine withVerbs(CommandLine commandLine, Collection<String> names) {
        for (String name : names) {
            commandLine.addSubcommand(name, VERBS.get(name).get());
        }
        if (names.size() > 1) {
            commandLine.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return commandLine;
    }

    /** Runs the command line and returns its exit code; prints, never throws. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("convert")) {
            // Loads the engine on the other core while picocli builds its model (~0.2 s either way).
            org.disklens.convert.Converter.prepareInBackground();
        }
        boolean oneVerb = args.length > 0 && VERBS.containsKey(args[0]);
        CommandLine commandLine = withVerbs(new CommandLine(new DiskLensCommand()),
                oneVerb ? List.of(args[0]) : VERBS.keySet());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((failure, failed, parsed) -> {
            Object command = failed.getCommand();
            err.println(Failure.describe(subject(command, failure), failure));
            err.flush();
            return command instanceof CompareCommand ? CompareCommand.ERROR : ERROR;
        });
        commandLine.setParameterExceptionHandler((invalid, arguments) -> {
            err.println("disklens: %s (see 'disklens %s--help')".formatted(invalid.getMessage(),
                    invalid.getCommandLine().getParent() == null ? "" : invalid.getCommandLine().getCommandName() + " "));
            err.flush();
            return invalid.getCommandLine().getCommand() instanceof CompareCommand ? CompareCommand.ERROR : ERROR;
        });
        try {
            return commandLine.execute(args);
        } catch (RuntimeException | Error unexpected) {
            err.println(Failure.describe("error", unexpected));
            err.flush();
            return ERROR;
        }
    }

    private static String subject(Object command, Throwable failure) {
        return switch (command) {
            case CompareCommand compare when failure instanceof CompareCommand.FileFailure failed -> failed.file;
            case CompareCommand compare -> compare.first;
            case InfoCommand info -> info.file;
            case MapCommand map -> map.file;
            case CheckCommand check -> check.file;
            case SnapshotCommand snapshot -> snapshot.file;
            case ConvertCommand convert -> convert.target != null ? convert.target : convert.source;
            case MeasureCommand measure -> measure.file != null ? measure.file : "measure";
            case LsCommand ls -> ls.file;
            case ExtractCommand extract -> extract.file;
            case VmsCommand vms -> vms.subject();
            default -> "error";
        };
    }
}

package org.disklens.cli;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: verbs and flags follow qemu-img (see README and the CLI contract). */
@Command(name = "disklens", mixinStandardHelpOptions = true, version = "DiskLens 0.1.0",
        description = "Inspect and convert virtual-machine disk images (qcow2, vmdk, raw, iso).",
        subcommands = {InfoCommand.class, MapCommand.class, CheckCommand.class, CompareCommand.class,
                SnapshotCommand.class, ConvertCommand.class, MeasureCommand.class, LsCommand.class,
                ExtractCommand.class, VmsCommand.class})
public final class DiskLensCommand implements Runnable {
    static final int ERROR = 1;

    /** The verbs; anything else on the command line is a file for the GUI. */
    public static final Set<String> COMMANDS = Set.of("info", "map", "check", "compare", "convert", "measure",
            "snapshot", "ls", "extract", "vms", "help", "--help", "-h", "--version", "-V");

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the command line and returns its exit code; prints, never throws. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0 && args[0].equals("convert")) {
            // Loads the engine on the other core while picocli builds its model (~0.2 s either way).
            org.disklens.convert.Converter.prepareInBackground();
        }
        CommandLine commandLine = new CommandLine(new DiskLensCommand());
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

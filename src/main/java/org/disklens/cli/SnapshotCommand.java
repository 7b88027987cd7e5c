package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.disklens.image.DiskImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code snapshot -l}: list internal snapshots. DiskLens never writes, so listing is the only action. */
@Command(name = "snapshot", description = "List an image's internal snapshots (-l).")
final class SnapshotCommand implements Callable<Integer> {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Mixin
    ImageOptions options;

    @Option(names = "-l", required = true, description = "List the snapshots.")
    boolean list;

    @Option(names = "--json", description = "Print a JSON array (qemu-img's field names).")
    boolean json;

    @Parameters(paramLabel = "FILE")
    String file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (DiskImage image = options.open(file)) {
            List<Map<String, Object>> snapshots = image.snapshots().stream().map(InfoCommand::snapshot).toList();
            if (json) {
                Json.print(out, snapshots);
            } else if (!snapshots.isEmpty()) {
                out.println("Snapshot list:");
                printTable(out, snapshots);
            }
        }
        out.flush();
        return 0;
    }

    static void printTable(PrintWriter out, List<?> snapshots) {
        out.printf("%-9s %-17s %8s %19s %15s %10s%n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK", "ICOUNT");
        for (Object item : snapshots) {
            Map<?, ?> snapshot = (Map<?, ?>) item;
            long clockSeconds = (long) snapshot.get("vm-clock-sec");
            long clockMillis = (long) snapshot.get("vm-clock-nsec") / 1_000_000;
            String clock = "%02d:%02d:%02d.%03d".formatted(clockSeconds / 3600, clockSeconds / 60 % 60,
                    clockSeconds % 60, clockMillis);
            Object icount = snapshot.containsKey("icount") ? snapshot.get("icount") : "";
            out.printf("%-9s %-17s %8s %19s %15s %10s%n", snapshot.get("id"), snapshot.get("name"),
                    Sizes.human((long) snapshot.get("vm-state-size")),
                    DATE.format(Instant.ofEpochSecond((long) snapshot.get("date-sec"))), clock, icount);
        }
    }
}

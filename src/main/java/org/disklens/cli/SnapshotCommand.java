package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.disklens.image.DiskImage;
import org.disklens.image.Units;

/** {@code snapshot -l}: list internal snapshots. DiskLens never writes, so listing is the only action. */
final class SnapshotCommand implements Verb {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    final ImageOptions options = new ImageOptions();

    boolean list;

    boolean json;

    String file;

    @Override
    public Syntax syntax() {
        return options.declare(new Syntax(DiskLensCommand.commandName("snapshot"), "List an image's internal snapshots (-l)."))
                .flag("-l", "List the snapshots (the only action: DiskLens never writes an image).", () -> list = true)
                .flag("--json", "Print a JSON array (qemu-img's field names).", () -> json = true)
                .refused("-c", "SNAPSHOT", "creating a snapshot writes to the image, and DiskLens never does")
                .refused("-a", "SNAPSHOT", "applying a snapshot writes to the image, and DiskLens never does")
                .refused("-d", "SNAPSHOT", "deleting a snapshot writes to the image, and DiskLens never does")
                .parameter("FILE", options.image(value -> file = value));
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        if (!list) {
            // qemu-img's other snapshot actions write the image; DiskLens never does, so -l must be said.
            err.println("disklens: snapshot: -l is required, listing is the only action (see 'disklens snapshot --help')");
            return DiskLensCommand.ERROR;
        }
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
                    Units.qemuSize((long) snapshot.get("vm-state-size")),
                    DATE.format(Instant.ofEpochSecond((long) snapshot.get("date-sec"))), clock, icount);
        }
    }
}

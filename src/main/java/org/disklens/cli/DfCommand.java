package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;
import org.disklens.inspect.FileSystemUsage;
import org.disklens.inspect.GuestSpace;

/**
 * {@code df}: the guest's file systems (partitions, the whole disk, logical volumes, unlocked LUKS volumes) with their
 * size, use and the space the image stores that they mark free, as {@code virt-df} lists them. Size and used are the
 * file system's own counts; available is what its free map marks free (where DiskLens reads it; else size minus used); use% is
 * used over size, rounded up as df rounds it.
 */
final class DfCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    String file;

    @Override
    public Syntax syntax() {
        return output.declare(options.declare(new Syntax(DiskLensCommand.commandName("df"),
                        "List the guest's file systems: size, used, available, use% and reclaimable (as virt-df).")))
                .parameter("IMAGE", options.image(value -> file = value));
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    /** One file system's row: where it is ({@code IMAGE:VOL}) and its figures. */
    record Row(String filesystem, FileSystemUsage usage) {
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        List<Row> rows;
        try (ImageChain chain = options.openChain(file)) {
            Passphrases passphrases = options.passphrases();
            rows = GuestSpace.of(chain, passphrases, ProgressListener.NONE).fileSystems().stream()
                    .map(usage -> new Row(file + ":" + usage.volume().id(), usage)).toList();
            passphrases.requireOpened();
        } finally {
            options.closePassphrases();
        }
        if (output.json) {
            Json.print(out, rows.stream().map(DfCommand::fields).toList());
        } else {
            printHuman(out, rows);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> fields(Row row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filesystem", row.filesystem());
        FileSystemUsage usage = row.usage();
        fields.put("type", usage.type());
        usage.size().ifPresent(value -> fields.put("size", value));
        usage.used().ifPresent(value -> fields.put("used", value));
        usage.available().ifPresent(value -> fields.put("available", value));
        usage.usePercent().ifPresent(value -> fields.put("use%", value));
        usage.reclaimable().ifPresent(value -> fields.put("reclaimable", value));
        return fields;
    }

    private static void printHuman(PrintWriter out, List<Row> rows) {
        int width = Math.max("Filesystem".length(), rows.stream().mapToInt(row -> row.filesystem().length()).max().orElse(0));
        String format = "%-" + width + "s  %-11s %10s %10s %10s %5s %12s%n";
        out.printf(format, "Filesystem", "Type", "Size", "Used", "Available", "Use%", "Reclaimable");
        for (Row row : rows) {
            FileSystemUsage usage = row.usage();
            out.printf(format, row.filesystem(), usage.type(), size(usage.size()), size(usage.used()),
                    size(usage.available()), usage.usePercent().isPresent() ? usage.usePercent().getAsLong() + "%" : "-",
                    size(usage.reclaimable()));
        }
    }

    private static String size(OptionalLong bytes) {
        return bytes.isPresent() ? Units.qemuSize(bytes.getAsLong()) : "-";
    }
}

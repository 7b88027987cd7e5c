package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.GuestView;
import org.disklens.content.Volume;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageChain;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;
import org.disklens.inspect.GuestFreeSpace;
import org.disklens.inspect.Reclaimable;

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
                .parameter("IMAGE", value -> file = value);
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    /** One file system's row. */
    record Row(String filesystem, String type, OptionalLong size, OptionalLong used, OptionalLong available,
               OptionalLong usePercent, OptionalLong reclaimable) {
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        List<Row> rows;
        try (ImageChain chain = options.openChain(file)) {
            Passphrases passphrases = options.passphrases();
            rows = rows(chain, passphrases);
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

    private List<Row> rows(ImageChain chain, Passphrases passphrases) throws IOException {
        GuestView guest = new GuestView(chain);
        List<Volume> partitions = DiskLayout.read(guest);
        GuestFreeSpace free = GuestFreeSpace.of(partitions, false, passphrases, ProgressListener.NONE);
        Reclaimable reclaimable = Reclaimable.of(chain, free, ProgressListener.NONE);
        List<Row> rows = new ArrayList<>();
        for (Volume volume : DiskLayout.allVolumes(guest, passphrases)) {
            if (volume.browsable() || free.volume(volume.id()).map(GuestFreeSpace.VolumeFree::trusted).orElse(false)) {
                rows.add(row(volume, free.volume(volume.id()), reclaimable.of(volume.id())));
            }
        }
        return rows;
    }

    private Row row(Volume volume, Optional<GuestFreeSpace.VolumeFree> free, Optional<Long> reclaimable) {
        FileSystemInfo info = volume.filesystem().orElseThrow();
        OptionalLong size = info.size();
        OptionalLong freeBytes = free.filter(GuestFreeSpace.VolumeFree::trusted)
                .map(found -> OptionalLong.of(found.free().bytes())).orElse(OptionalLong.empty());
        OptionalLong used = info.used().isPresent() ? info.used()
                : size.isPresent() && freeBytes.isPresent() ? OptionalLong.of(size.getAsLong() - freeBytes.getAsLong())
                : OptionalLong.empty();
        OptionalLong available = freeBytes.isPresent() ? freeBytes
                : size.isPresent() && used.isPresent() ? OptionalLong.of(size.getAsLong() - used.getAsLong())
                : OptionalLong.empty();
        OptionalLong percent = size.isPresent() && used.isPresent() && size.getAsLong() > 0
                ? OptionalLong.of(Math.ceilDiv(used.getAsLong() * 100, size.getAsLong())) : OptionalLong.empty();
        return new Row(file + ":" + volume.id(), info.type(), size, used, available, percent,
                reclaimable.map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    private static Map<String, Object> fields(Row row) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("filesystem", row.filesystem());
        fields.put("type", row.type());
        row.size().ifPresent(value -> fields.put("size", value));
        row.used().ifPresent(value -> fields.put("used", value));
        row.available().ifPresent(value -> fields.put("available", value));
        row.usePercent().ifPresent(value -> fields.put("use%", value));
        row.reclaimable().ifPresent(value -> fields.put("reclaimable", value));
        return fields;
    }

    private static void printHuman(PrintWriter out, List<Row> rows) {
        int width = Math.max("Filesystem".length(), rows.stream().mapToInt(row -> row.filesystem().length()).max().orElse(0));
        String format = "%-" + width + "s  %-11s %10s %10s %10s %5s %12s%n";
        out.printf(format, "Filesystem", "Type", "Size", "Used", "Available", "Use%", "Reclaimable");
        for (Row row : rows) {
            out.printf(format, row.filesystem(), row.type(), size(row.size()), size(row.used()), size(row.available()),
                    row.usePercent().isPresent() ? row.usePercent().getAsLong() + "%" : "-", size(row.reclaimable()));
        }
    }

    private static String size(OptionalLong bytes) {
        return bytes.isPresent() ? Units.qemuSize(bytes.getAsLong()) : "-";
    }
}

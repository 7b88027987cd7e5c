package org.disklens.gui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.disklens.content.Volume;
import org.disklens.content.partition.Partition;
import org.disklens.image.Units;
import org.disklens.inspect.FileSystemUsage;
import org.disklens.inspect.GuestSpace;

/**
 * The Partitions section: the partition table (or the file system over the whole disk) and each file system's size,
 * used, free and reclaimable space, as {@code df} tells them, once the guest's free space has been read; logical
 * volumes found inside partitions follow their partitions.
 */
public final class PartitionsViewModel {
    /** One row, every value in words; {@code usage} is the file system's figures once known. */
    public record Row(String number, String start, String size, String type, String fileSystem, String used,
                      String free, String reclaimable, String uuid, Volume volume, Optional<FileSystemUsage> usage) {
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private List<Volume> volumes = List.of();

    void bind(OpenedImage opened) {
        volumes = opened.volumes();
        rows.setAll(volumes.stream().map(volume -> row(volume, Optional.empty(), false)).toList());
    }

    void clear() {
        volumes = List.of();
        rows.clear();
    }

    /** The file systems' figures are known. */
    void guestSpace(GuestSpace space) {
        List<Row> shown = new ArrayList<>();
        for (Volume volume : volumes) {
            shown.add(row(volume, space.fileSystem(volume.id()), true));
        }
        Set<String> partitionIds = volumes.stream().map(Volume::id).collect(Collectors.toSet());
        space.fileSystems().stream().filter(usage -> !partitionIds.contains(usage.volume().id()))
                .forEach(usage -> shown.add(row(usage.volume(), Optional.of(usage), true)));
        rows.setAll(shown);
    }

    private static Row row(Volume volume, Optional<FileSystemUsage> usage, boolean measured) {
        Optional<Partition> partition = volume.partition();
        String number = partition.map(p -> p.scheme().equals("none") ? "disk"
                : p.scheme().toUpperCase(java.util.Locale.ROOT) + " " + p.index()).orElse(volume.description());
        String start = partition.map(p -> Units.size(p.start())).orElse("");
        String size = Units.size(partition.map(Partition::length).orElseGet(() -> sizeOf(volume)));
        String type = partition.map(p -> p.name().isEmpty() ? p.type() : p.type() + " · " + p.name()).orElse("");
        String fileSystem = volume.filesystem().map(fs -> fs.label().isEmpty() ? fs.type()
                : fs.type() + " \"" + fs.label() + "\"").orElse("");
        boolean hasFileSystem = volume.filesystem().isPresent();
        String pending = hasFileSystem && !measured ? "…" : "";
        return new Row(number, start, size, type, fileSystem,
                usage.map(found -> usedText(found)).orElse(pending),
                usage.map(found -> bytes(found.available())).orElse(pending),
                usage.map(found -> bytes(found.reclaimable())).orElse(pending),
                volume.filesystem().map(fs -> fs.uuid()).orElse(""), volume, usage);
    }

    /** "148 MiB of 512 MiB (29 %)". */
    private static String usedText(FileSystemUsage usage) {
        if (usage.used().isEmpty()) {
            return "";
        }
        String of = usage.size().isPresent() ? " of " + Units.size(usage.size().getAsLong()) : "";
        String percent = usage.usePercent().isPresent() ? " (%d %%)".formatted(usage.usePercent().getAsLong()) : "";
        return Units.size(usage.used().getAsLong()) + of + percent;
    }

    private static String bytes(OptionalLong value) {
        return value.isPresent() ? Units.size(value.getAsLong()) : "";
    }

    private static long sizeOf(Volume volume) {
        try {
            return volume.bytes().size();
        } catch (java.io.IOException | RuntimeException unknown) {
            return 0;
        }
    }

    public ObservableList<Row> rows() {
        return rows;
    }
}

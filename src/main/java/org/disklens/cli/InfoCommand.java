package org.disklens.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.GuestView;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.content.partition.Partition;
import org.disklens.crypto.Passphrases;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.OpenPolicy;
import org.disklens.image.Snapshot;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;
import org.disklens.inspect.GuestFreeSpace;
import org.disklens.inspect.Reclaimable;

/** {@code info}: the facts of an image (and with {@code --backing-chain}, of every layer). */
final class InfoCommand implements Verb {
    final ImageOptions options = new ImageOptions();

    final JsonOption output = new JsonOption();

    boolean backingChain;

    String file;

    @Override
    public Syntax syntax() {
        Syntax syntax = new Syntax(DiskLensCommand.commandName("info"),
                "Show an image's format, sizes, backing file, snapshots and format details.");
        output.declare(options.declare(syntax))
                .flag("--backing-chain", "Describe every layer of the backing chain, top first.", () -> backingChain = true)
                .parameter("FILE", options.image(value -> file = value));
        return syntax;
    }

    @Override
    public String subject(Throwable failure) {
        return file;
    }

    @Override
    public int run(PrintWriter out, PrintWriter err) throws IOException {
        try {
            return describe(out, err);
        } finally {
            options.closePassphrases();
        }
    }

    private int describe(PrintWriter out, PrintWriter err) throws IOException {
        Passphrases passphrases = options.passphrases();
        List<Map<String, Object>> layers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (backingChain) {
            try (ImageChain chain = options.openChain(file)) {
                String name = file;
                for (ImageChain.Layer layer : chain.layers()) {
                    Map<String, Object> facts = facts(name, layer.image());
                    layers.add(facts);
                    name = (String) facts.get("full-backing-filename");
                }
                warnings.addAll(chain.warnings());
                addPartitions(layers.getFirst(), chain, passphrases, warnings);
            }
        } else {
            try (DiskImage image = options.open(file)) {
                layers.add(facts(file, image));
                image.warnings().forEach(warning -> warnings.add(options.fileName(file) + ": " + warning));
            }
            addPartitions(layers.getFirst(), passphrases, warnings);
        }
        warnings.forEach(warning -> err.println("disklens: warning: " + warning));
        err.flush();
        passphrases.requireOpened();
        if (output.json) {
            Json.print(out, backingChain ? layers : layers.getFirst());
        } else {
            for (int i = 0; i < layers.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                printHuman(out, layers.get(i));
            }
        }
        return 0;
    }

    /**
     * What is inside the guest disk, when the whole chain can be read (qemu-img knows nothing of it, so the
     * field is DiskLens's addition): partitions with their file systems. A chain that cannot be followed, or
     * data that cannot be read (encryption), leaves the field out; it never fails {@code info}.
     */
    private void addPartitions(Map<String, Object> facts, Passphrases passphrases, List<String> warnings) {
        try (ImageChain chain = options.openChain(file)) {
            addPartitions(facts, chain, passphrases, warnings);
        } catch (IOException | RuntimeException unreadable) {
            // info describes the container even when its contents cannot be read.
        }
    }

    /** Also gathers what the file systems' structures claim but cannot be (a size larger than its volume). */
    private void addPartitions(Map<String, Object> facts, ImageChain chain, Passphrases passphrases,
            List<String> warnings) {
        try {
            List<Volume> volumes = DiskLayout.read(new GuestView(chain));
            Optional<Reclaimable> reclaimable = reclaimable(chain, volumes, passphrases);
            List<VolumeContainer.Group> groups = groups(volumes, passphrases);
            List<Map<String, Object>> partitions = new ArrayList<>();
            for (Volume volume : volumes) {
                Partition partition = volume.partition().orElseThrow();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("index", partition.index());
                fields.put("scheme", partition.scheme());
                fields.put("start", partition.start());
                fields.put("length", partition.length());
                fields.put("type", partition.type());
                fields.put("name", partition.name());
                volume.filesystem().ifPresent(filesystem -> {
                    fields.put("filesystem", filesystem(filesystem, volume.id(), reclaimable));
                    String where = partition.index() == 0 ? "whole disk" : "partition " + partition.index();
                    filesystem.warnings().forEach(warning -> warnings.add("%s: %s: %s".formatted(
                            options.fileName(file), where, warning)));
                });
                addContainers(fields, volume.id(), groups, reclaimable, DiskLayout.MAX_NESTING);
                partitions.add(fields);
            }
            reclaimable.filter(found -> !found.byVolume().isEmpty())
                    .ifPresent(found -> facts.put("reclaimable", found.total()));
            if (!partitions.isEmpty()) {
                facts.put("partitions", partitions);
            }
        } catch (IOException | RuntimeException unreadable) {
            // As above: contents are a bonus, the container's facts stand.
        }
    }

    /** {@code filesystem}: the signature's facts, and what the image stores that it marks free. */
    private static Map<String, Object> filesystem(FileSystemInfo info, String volumeId, Optional<Reclaimable> reclaimable) {
        Map<String, Object> described = new LinkedHashMap<>(info.fields());
        reclaimable.flatMap(found -> found.of(volumeId)).ifPresent(bytes -> described.put("reclaimable", bytes));
        return described;
    }

    /** The fields ({@code lvm}, {@code luks}) of the containers that volume {@code id} is a member of. */
    private static void addContainers(Map<String, Object> fields, String id, List<VolumeContainer.Group> groups,
                                      Optional<Reclaimable> reclaimable, int depth) {
        if (depth == 0) {
            return;
        }
        for (VolumeContainer.Group group : groups) {
            if (group.memberIds().contains(id)) {
                fields.put(group.kind(), container(group, groups, reclaimable, depth - 1));
            }
        }
    }

    /**
     * A container's field ({@code lvm}, {@code luks}): its facts ({@code vg}, {@code pvs}, {@code extent-size}; LUKS's
     * {@code version}, {@code uuid}, {@code cipher}, {@code key-size}, {@code keyslots}, {@code tokens}, {@code unlocked})
     * and its volumes ({@code lvs} for LVM, else {@code volumes}: name, size, segments, and the file system found in
     * each, or why it cannot be read; a volume that is itself a container's member, like a PV inside a LUKS volume,
     * carries that container's field too).
     */
    private static Map<String, Object> container(VolumeContainer.Group group, List<VolumeContainer.Group> groups,
                                                 Optional<Reclaimable> reclaimable, int depth) {
        Map<String, Object> described = new LinkedHashMap<>(group.facts());
        List<Map<String, Object>> inner = new ArrayList<>();
        for (VolumeContainer.Inner volume : group.volumes()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("name", volume.name());
            fields.put("size", volume.size());
            fields.put("segments", volume.segments());
            volume.volume().flatMap(Volume::filesystem).ifPresent(info -> fields.put("filesystem",
                    filesystem(info, volume.volume().get().id(), reclaimable)));
            volume.unreadable().ifPresent(why -> fields.put("unreadable", why));
            volume.volume().ifPresent(found -> addContainers(fields, found.id(), groups, reclaimable, depth));
            inner.add(fields);
        }
        described.put(group.kind().equals("lvm") ? "lvs" : "volumes", inner);
        return described;
    }

    private static List<VolumeContainer.Group> groups(List<Volume> volumes, Passphrases passphrases) {
        try {
            return DiskLayout.groups(volumes, passphrases);
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    /**
     * Bytes the chain stores that the guest's file systems mark free, where their free maps can be read; empty when
     * none can (then the field is left out).
     */
    private static Optional<Reclaimable> reclaimable(ImageChain chain, List<Volume> volumes, Passphrases passphrases) {
        try {
            return Optional.of(Reclaimable.of(chain, GuestFreeSpace.of(volumes, false, passphrases, ProgressListener.NONE),
                    ProgressListener.NONE));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** qemu-img's info fields for one layer, in its names: the one place the {@code info --json} map is built. */
    static Map<String, Object> facts(String filename, DiskImage image) throws IOException {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("filename", filename);
        facts.put("format", image.format());
        facts.put("virtual-size", image.virtualSize());
        facts.put("actual-size", image.allocatedBytes());
        image.clusterSize().ifPresent(size -> facts.put("cluster-size", size));
        if (image.encrypted()) {
            facts.put("encrypted", true);
        }
        facts.put("dirty-flag", image.dirty());
        image.backing().ifPresent(backing -> {
            facts.put("backing-filename", backing.name());
            facts.put("full-backing-filename", combine(filename, backing.name()));
            backing.format().ifPresent(format -> facts.put("backing-filename-format", format));
        });
        if (!image.snapshots().isEmpty()) {
            facts.put("snapshots", image.snapshots().stream().map(InfoCommand::snapshot).toList());
        }
        Map<String, Object> specific = image.formatSpecific(reference -> combine(filename, reference));
        if (!specific.isEmpty()) {
            Map<String, Object> formatSpecific = new LinkedHashMap<>();
            formatSpecific.put("type", image.format());
            formatSpecific.put("data", specific);
            facts.put("format-specific", formatSpecific);
        }
        return facts;
    }

    /** qemu's {@code path_combine}: a relative backing name is relative to the image's folder. */
    static String combine(String imageName, String backingName) {
        if (backingName.startsWith("/") || OpenPolicy.isPseudoPath(backingName)) {
            return backingName;
        }
        int slash = imageName.lastIndexOf('/');
        return slash < 0 ? backingName : imageName.substring(0, slash + 1) + backingName;
    }

    static Map<String, Object> snapshot(Snapshot snapshot) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", snapshot.id());
        fields.put("name", snapshot.name());
        fields.put("vm-state-size", snapshot.vmStateSize());
        fields.put("date-sec", snapshot.dateSeconds());
        fields.put("date-nsec", snapshot.dateNanos());
        fields.put("vm-clock-sec", snapshot.vmClockNanos() / 1_000_000_000L);
        fields.put("vm-clock-nsec", snapshot.vmClockNanos() % 1_000_000_000L);
        if (snapshot.icount() != -1) {
            fields.put("icount", snapshot.icount());
        }
        return fields;
    }

    private static void printHuman(PrintWriter out, Map<String, Object> facts) {
        long virtualSize = (long) facts.get("virtual-size");
        long actualSize = (long) facts.get("actual-size");
        Table table = new Table();
        table.row("image", facts.get("filename"));
        table.row("file format", facts.get("format"));
        table.row("virtual size", "%s (%d bytes)".formatted(Units.qemuSize(virtualSize), virtualSize));
        table.row("disk size", "%s (%s of the virtual size)".formatted(Units.qemuSize(actualSize), Units.qemuPercent(actualSize, virtualSize)));
        if (facts.containsKey("cluster-size")) {
            table.row("cluster size", facts.get("cluster-size"));
        }
        if (facts.containsKey("backing-filename")) {
            table.row("backing file", facts.get("backing-filename")
                    + (facts.get("full-backing-filename").equals(facts.get("backing-filename")) ? ""
                    : " (actual path: " + facts.get("full-backing-filename") + ")"));
        }
        if (facts.containsKey("backing-filename-format")) {
            table.row("backing file format", facts.get("backing-filename-format"));
        }
        if (Boolean.TRUE.equals(facts.get("encrypted"))) {
            table.row("encrypted", "yes");
        }
        if (Boolean.TRUE.equals(facts.get("dirty-flag"))) {
            table.row("dirty flag", "yes (not closed cleanly)");
        }
        table.print(out, "");
        if (facts.get("snapshots") instanceof List<?> snapshots) {
            out.println("Snapshot list:");
            SnapshotCommand.printTable(out, snapshots);
        }
        if (facts.get("format-specific") instanceof Map<?, ?> specific) {
            out.println("Format specific information:");
            printNested(out, (Map<?, ?>) specific.get("data"), "    ");
        }
    }

    private static void printNested(PrintWriter out, Map<?, ?> values, String indent) {
        Table table = new Table();
        List<Map.Entry<?, ?>> nested = new ArrayList<>();
        for (Map.Entry<?, ?> entry : values.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> || entry.getValue() instanceof List<?> list && !list.isEmpty()
                    && list.getFirst() instanceof Map<?, ?>) {
                nested.add(entry);
            } else {
                table.row(entry.getKey().toString().replace('-', ' '), entry.getValue() instanceof List<?> list
                        ? String.join(", ", list.stream().map(String::valueOf).toList()) : entry.getValue());
            }
        }
        table.print(out, indent);
        for (Map.Entry<?, ?> entry : nested) {
            out.println(indent + entry.getKey().toString().replace('-', ' ') + ":");
            if (entry.getValue() instanceof Map<?, ?> map) {
                printNested(out, map, indent + "    ");
            } else {
                int index = 0;
                for (Object item : (List<?>) entry.getValue()) {
                    out.println(indent + "    [" + index++ + "]:");
                    printNested(out, (Map<?, ?>) item, indent + "        ");
                }
            }
        }
    }
}

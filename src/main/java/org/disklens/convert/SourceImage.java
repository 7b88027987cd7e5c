package org.disklens.convert;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.InvalidRequest;
import org.disklens.image.Mapping;
import org.disklens.image.OpenPolicy;
import org.disklens.image.Snapshot;
import org.disklens.content.GuestView;
import org.disklens.image.ProgressListener;
import org.disklens.image.Units;
import org.disklens.inspect.AllocationMap;
import org.disklens.inspect.GuestFreeSpace;
import org.disklens.inspect.GuestRanges;
import org.disklens.inspect.MapEntry;

/**
 * The image a conversion reads: its whole chain, opened read-only through the {@link ImageOpener} (so the open
 * policy applies to its backing files), seen through an internal snapshot if one was asked for. It answers what each
 * guest run is for the converter: data to read, zeroes, or (for a target with a backing file) "as in the backing
 * file".
 */
final class SourceImage implements Closeable {
    /** What a run of the guest disk is, for the converter. */
    enum Kind { ZERO, BACKING, DATA }

    /** A run of one kind starting at the asked offset; {@code length} may reach beyond what was asked. */
    record Run(Kind kind, long length) {
    }

    private final ImageChain chain;
    /** With {@code --sparsify}: the guest space its file systems mark free (and trust), which reads as zeroes. */
    private final GuestRanges free;
    private final GuestFreeSpace freeSpace;

    private SourceImage(ImageChain chain, GuestFreeSpace freeSpace) {
        this.chain = chain;
        this.freeSpace = freeSpace;
        this.free = freeSpace == null ? GuestRanges.NONE : freeSpace.free();
    }

    static SourceImage open(SourceSpec spec) throws IOException {
        return open(spec, ProgressListener.NONE);
    }

    /** Opens the source; with {@code --sparsify} also reads (and cross-checks) every guest file system's free map. */
    static SourceImage open(SourceSpec spec, ProgressListener progress) throws IOException {
        ImageOpener opener = new ImageOpener(new OpenPolicy(spec.allowOutside()), withSequentialAccess(spec.openOptions()),
                spec.passphrases(), progress);
        ImageChain chain = opener.openChain(spec.path(), spec.format(), true);
        try {
            if (spec.snapshot().isPresent()) {
                chain = withSnapshot(chain, spec.snapshot().get());
            }
            unlockEncrypted(chain);
            GuestFreeSpace freeSpace = null;
            if (spec.sparsify()) {
                freeSpace = GuestFreeSpace.of(new GuestView(chain), true, spec.passphrases(), progress);
                spec.passphrases().requireOpened();
            }
            return new SourceImage(chain, freeSpace);
        } catch (IOException | RuntimeException failure) {
            chain.close();
            throw failure;
        }
    }

    /**
     * A conversion (and {@code measure}) reads its source from start to end: drivers that can read some images only
     * that way (a gzip-compressed disk of an OVA) are told so by the open option {@code access=sequential}.
     */
    static Map<String, String> withSequentialAccess(Map<String, String> options) {
        Map<String, String> withAccess = new java.util.HashMap<>(options);
        withAccess.putIfAbsent("access", "sequential");
        return withAccess;
    }

    /** Replaces the top layer by its view of an internal snapshot, as {@code qemu-img convert -l} loads one. */
    private static ImageChain withSnapshot(ImageChain chain, String selector) throws IOException {
        DiskImage top = chain.top();
        if (!top.hasInternalSnapshots()) {
            throw new InvalidRequest("Failed to load snapshot: format '%s' has no internal snapshots".formatted(top.format()));
        }
        DiskImage view = top.snapshotView(snapshotIndex(top.snapshots(), selector));
        List<ImageChain.Layer> layers = new ArrayList<>(chain.layers());
        layers.set(0, new ImageChain.Layer(view, layers.getFirst().path()));
        return new ImageChain(layers, chain.brokenLink());
    }

    /**
     * qemu's rules: {@code snapshot.id=ID,snapshot.name=NAME} must match both given fields; a plain word is tried as
     * an id first, then as a name.
     */
    static int snapshotIndex(List<Snapshot> snapshots, String selector) throws InvalidRequest {
        Optional<String> id;
        Optional<String> name;
        if (selector.startsWith("snapshot.")) {
            Map<String, String> fields = OptionString.parse(selector);
            id = Optional.ofNullable(fields.remove("snapshot.id"));
            name = Optional.ofNullable(fields.remove("snapshot.name"));
            if (!fields.isEmpty()) {
                throw new InvalidRequest("Invalid snapshot parameter '%s' (snapshot.id, snapshot.name)"
                        .formatted(fields.keySet().iterator().next()));
            }
            int found = find(snapshots, id, name);
            if (found >= 0) {
                return found;
            }
        } else {
            int byId = find(snapshots, Optional.of(selector), Optional.empty());
            int found = byId >= 0 ? byId : find(snapshots, Optional.empty(), Optional.of(selector));
            if (found >= 0) {
                return found;
            }
        }
        throw new InvalidRequest("Failed to load snapshot: Can't find snapshot '%s'".formatted(selector));
    }

    private static int find(List<Snapshot> snapshots, Optional<String> id, Optional<String> name) {
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot snapshot = snapshots.get(i);
            if (id.map(snapshot.id()::equals).orElse(true) && name.map(snapshot.name()::equals).orElse(true)
                    && (id.isPresent() || name.isPresent())) {
                return i;
            }
        }
        return -1;
    }

    /** Encrypted layers get their keys before anything is written: no passphrase or a wrong one is one line. */
    private static void unlockEncrypted(ImageChain chain) throws IOException {
        for (ImageChain.Layer layer : chain.layers()) {
            layer.image().unlock();
        }
    }

    ImageChain chain() {
        return chain;
    }

    long size() {
        return chain.virtualSize();
    }

    DiskImage top() {
        return chain.top();
    }

    /** Every file the chain reads, to refuse a target that would overwrite one of them. */
    List<Path> files() {
        return chain.layers().stream().map(ImageChain.Layer::path).toList();
    }

    /**
     * The run at {@code guestOffset} (below {@link #size()}), at most {@code maxLength} long. Flattened through the
     * chain as the reader reads it: zero where the guest reads zeroes without any stored data (zero clusters, holes,
     * unallocated in every layer), else data. With {@code topOnly}: only the top layer's view, its unallocated runs
     * being {@link Kind#BACKING}, which is what the target of {@code -B} leaves to its backing file. Unlike
     * {@code map}, data clusters are not looked into for host holes: the zero scan finds those zeroes anyway.
     */
    Run runAt(long guestOffset, long maxLength, boolean topOnly) throws IOException {
        long length = maxLength;
        int freeRun = free.firstEndingAfter(guestOffset);
        if (freeRun < free.count()) {
            if (free.start(freeRun) <= guestOffset) {
                return new Run(Kind.ZERO, Math.min(length, free.end(freeRun) - guestOffset));
            }
            length = Math.min(length, free.start(freeRun) - guestOffset);
        }
        for (int depth = 0; depth < chain.size(); depth++) {
            DiskImage layer = chain.layer(depth);
            if (guestOffset >= layer.virtualSize()) {
                // Past a shorter backing layer the guest reads zeroes.
                return new Run(Kind.ZERO, length);
            }
            Mapping mapping = layer.map(guestOffset, Math.min(length, layer.virtualSize() - guestOffset));
            length = Math.min(mapping.length(), length);
            switch (mapping) {
                case Mapping.Zero zero -> {
                    return new Run(Kind.ZERO, length);
                }
                case Mapping.Unallocated unallocated -> {
                    if (topOnly) {
                        return new Run(Kind.BACKING, length);
                    }
                }
                default -> {
                    return new Run(Kind.DATA, length);
                }
            }
        }
        return new Run(Kind.ZERO, length);
    }

    /**
     * The run at {@code guestOffset} as {@code map} (and qemu's block status) sees it: like
     * {@link #runAt(long, long, boolean)}, and data clusters whose host blocks are holes (preallocated metadata)
     * count as zero. {@code measure} counts what qemu-img counts with this.
     */
    Run allocationAt(long guestOffset, long maxLength) throws IOException {
        int freeRun = free.firstEndingAfter(guestOffset);
        long length = maxLength;
        if (freeRun < free.count()) {
            if (free.start(freeRun) <= guestOffset) {
                return new Run(Kind.ZERO, Math.min(length, free.end(freeRun) - guestOffset));
            }
            length = Math.min(length, free.start(freeRun) - guestOffset);
        }
        MapEntry entry = new AllocationMap(chain).entryAt(guestOffset, length);
        return new Run(entry.zero() ? Kind.ZERO : Kind.DATA, entry.length());
    }

    /**
     * With {@code --sparsify}, what was done with each volume: the space dropped, or why it was left whole; empty
     * without it.
     */
    List<String> sparsifyNotes() {
        if (freeSpace == null) {
            return List.of();
        }
        List<String> notes = new ArrayList<>();
        for (GuestFreeSpace.VolumeFree volume : freeSpace.volumes()) {
            String name = volume.volume().description() + volume.filesystem().map(info -> " (%s%s)".formatted(info.type(),
                    info.label().isEmpty() ? "" : " \"" + info.label() + "\"")).orElse("");
            notes.add(volume.leftWhole().map(why -> "%s: left whole: %s".formatted(name, why))
                    .orElse("%s: %s the guest marks free read as zeroes".formatted(name, Units.size(volume.free().bytes()))));
        }
        return notes;
    }

    @Override
    public void close() throws IOException {
        chain.close();
    }
}

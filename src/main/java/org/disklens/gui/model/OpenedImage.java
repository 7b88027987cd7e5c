package org.disklens.gui.model;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.GuestView;
import org.disklens.content.Volume;
import org.disklens.crypto.Passphrases;
import org.disklens.image.DiskImage;
import org.disklens.vm.VirtualMachines;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.image.Snapshot;

/**
 * An image opened for a tab: its chain (kept open while the tab shows it) and the facts read from it once,
 * in the background, so that views never wait on the file.
 */
public final class OpenedImage implements Closeable {
    /** A persistent bitmap as the Snapshots section lists it. */
    public record Bitmap(String name, long granularity, String flags) {
    }

    /** The backing link that could not be followed: what was named, why not, and where it was looked for. */
    public record Broken(int depth, String reference, String reason, Optional<Path> lookedFor) {
    }

    private final ImageChain chain;
    private final List<LayerFacts> layers;
    private final Optional<Broken> broken;
    private final List<HeaderField> header;
    private final List<Volume> volumes;
    private final List<Volume> fileSystems;
    private final List<VirtualMachines.Usage> usedBy;
    private final Optional<String> notWhatItsNameSays;
    private final Optional<String> contentsProblem;

    private OpenedImage(ImageChain chain, List<LayerFacts> layers, Optional<Broken> broken, List<HeaderField> header,
                        Contents contents, List<VirtualMachines.Usage> usedBy, Optional<String> notWhatItsNameSays) {
        this.chain = chain;
        this.layers = layers;
        this.broken = broken;
        this.header = header;
        this.volumes = contents.volumes();
        this.fileSystems = contents.fileSystems();
        this.contentsProblem = contents.problem();
        this.usedBy = usedBy;
        this.notWhatItsNameSays = notWhatItsNameSays;
    }

    /** What is inside the guest disk, or why it could not be read. */
    private record Contents(List<Volume> volumes, List<Volume> fileSystems, Optional<String> problem) {
    }

    /**
     * Opens {@code path} and its backing chain (a broken link ends the chain, it does not fail the open); the LUKS
     * volumes inside are unlocked with {@code passphrases} (encrypted images with the opener's).
     */
    static OpenedImage open(ImageOpener opener, Path path, Passphrases passphrases) throws IOException {
        ImageChain chain = opener.openChain(path, Optional.empty(), false);
        try {
            List<LayerFacts> layers = new ArrayList<>();
            for (ImageChain.Layer layer : chain.layers()) {
                layers.add(LayerFacts.of(layer));
            }
            Optional<Broken> broken = chain.brokenLink().map(link -> new Broken(link.depth(), link.reference(),
                    link.reason(), lookedFor(chain.layers().get(link.depth()).path(), link.reference())));
            GuestView guest = new GuestView(chain);
            return new OpenedImage(chain, List.copyOf(layers), broken, HeaderFields.of(chain.top()),
                    contents(guest, broken, passphrases), usedBy(path), notWhatItsNameSays(path, chain.top()));
        } catch (IOException | RuntimeException failure) {
            chain.close();
            throw failure;
        }
    }

    /**
     * The partitions and file systems inside the guest disk, and the volumes whose files DiskLens can list (an ISO, a
     * file system over the whole disk, partitions, logical volumes, in the order {@code -m} lists them). Only read
     * when the whole chain opened (with a broken link the guest view would be wrong) and never fatal: an encrypted or
     * damaged disk shows none, and says why.
     */
    private static Contents contents(GuestView guest, Optional<Broken> broken, Passphrases passphrases) {
        if (broken.isPresent()) {
            return new Contents(List.of(), List.of(), Optional.empty());
        }
        try {
            List<Volume> volumes = List.copyOf(DiskLayout.read(guest));
            return new Contents(volumes, DiskLayout.allVolumes(guest, passphrases).stream().filter(Volume::browsable).toList(),
                    Optional.empty());
        } catch (IOException | RuntimeException unreadable) {
            return new Contents(List.of(), List.of(), Optional.of(Problems.describe(unreadable)));
        }
    }

    /** Whether the file's name promises another format than its content has (a PNG named {@code .qcow2}). */
    private static Optional<String> notWhatItsNameSays(Path path, DiskImage top) throws IOException {
        ByteBuffer start = ByteBuffer.allocate((int) Math.min(512, top.source().size()));
        top.source().read(0, start);
        return FileKinds.mismatch(path, top.format(), start.flip());
    }

    /**
     * The libvirt domains of this host that use the image (their definitions in {@code /etc/libvirt/qemu}, or
     * the folder the {@code disklens.libvirt.dir} property names). Empty where there are none or they cannot
     * be read: most workstations have no libvirt at all.
     */
    private static List<VirtualMachines.Usage> usedBy(Path image) {
        Path folder = Path.of(System.getProperty("disklens.libvirt.dir", VirtualMachines.DEFAULT_FOLDER.toString()));
        if (!java.nio.file.Files.isDirectory(folder) || !java.nio.file.Files.isReadable(folder)) {
            return List.of();
        }
        try {
            return List.copyOf(VirtualMachines.usesOf(VirtualMachines.scan(folder).domains(), image, OpenPolicy.DEFAULT));
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    /** "not a qcow2 image: the file starts with PNG data; shown as raw bytes", when the name promises another format. */
    public Optional<String> notWhatItsNameSays() {
        return notWhatItsNameSays;
    }

    /** Why the partitions and file systems could not be read, if they could not. */
    public Optional<String> contentsProblem() {
        return contentsProblem;
    }

    public List<VirtualMachines.Usage> usedBy() {
        return usedBy;
    }

    public List<Volume> volumes() {
        return volumes;
    }

    /** The volumes whose files DiskLens can list. */
    public List<Volume> fileSystems() {
        return fileSystems;
    }

    /** Where a relative reference points, beside the image that names it; empty for what is not a path. */
    private static Optional<Path> lookedFor(Path image, String reference) {
        if (OpenPolicy.isPseudoPath(reference)) {
            return Optional.empty();
        }
        try {
            Path folder = image.toAbsolutePath().getParent();
            return Optional.of(folder == null ? Path.of(reference) : folder.resolve(reference).normalize());
        } catch (InvalidPathException notAPath) {
            return Optional.empty();
        }
    }

    public ImageChain chain() {
        return chain;
    }

    public DiskImage top() {
        return chain.top();
    }

    public LayerFacts topFacts() {
        return layers.getFirst();
    }

    public List<LayerFacts> layers() {
        return layers;
    }

    public Optional<Broken> broken() {
        return broken;
    }

    public List<HeaderField> header() {
        return header;
    }

    public List<Snapshot> snapshots() {
        return chain.top().snapshots();
    }

    /** The top layer's persistent bitmaps, flags in words. */
    public List<Bitmap> bitmaps() {
        return chain.top().bitmaps().orElse(List.of()).stream()
                .map(bitmap -> new Bitmap(bitmap.name(), bitmap.granularity(), String.join(", ", bitmap.flags())))
                .toList();
    }

    @Override
    public void close() throws IOException {
        chain.close();
    }
}

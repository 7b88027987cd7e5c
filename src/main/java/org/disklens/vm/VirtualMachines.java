package org.disklens.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageFormats;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.io.FileBlockSource;

/**
 * The VMs of a libvirt host (their domain XMLs, by default in {@code /etc/libvirt/qemu}) and which of them
 * use a given image: as their disk, or below it in a backing chain (declared, or found by following the
 * disk's own chain). Images are opened read-only. A disk's declared {@code <source>} is the administrator's choice
 * and is opened wherever it is; the backing files the images name are followed through the {@link OpenPolicy}, as
 * everywhere else (inside each image's folder unless the policy allows more).
 */
public final class VirtualMachines {
    public static final Path DEFAULT_FOLDER = Path.of("/etc/libvirt/qemu");

    /** The domains that could be read, and one line for each file that could not. */
    public record Scan(List<Domain> domains, List<String> problems) {
    }

    /**
     * A domain that uses the image: {@code depth} 0 as its disk, more when the image is a backing layer.
     * {@code actualFormat} is what DiskLens finds in the disk's file.
     */
    public record Usage(Domain domain, DomainDisk disk, int depth, Optional<String> actualFormat) {
        /** The declared driver type differs from the real format (an ISO is read as raw, so it counts as raw). */
        public boolean mismatch() {
            String actual = actualFormat.map(format -> format.equals("iso") ? "raw" : format).orElse("");
            return depth == 0 && disk.driverType().isPresent() && !actual.isEmpty() && !disk.driverType().get().equals(actual);
        }

        /**
         * The image is a backing layer of a disk the domain declares raw: qemu then reads the disk's file as it is and
         * never opens the chain below it, so this image is not used at all.
         */
        public boolean chainUnused() {
            return depth > 0 && disk.driverType().map("raw"::equals).orElse(false);
        }

        /**
         * "VM web01 declares raw but the file is qcow2"; "VM db01 declares its disk raw, so qemu never opens the backing
         * chain: this file (backing layer 1) is not used"; or empty.
         */
        public Optional<String> warning() {
            if (chainUnused()) {
                return Optional.of(("VM %s declares its disk (%s) raw, so qemu never opens the backing chain: this file "
                        + "(backing layer %d) is not used").formatted(domain.name(), disk.where(), depth));
            }
            return mismatch() ? Optional.of("VM %s declares %s but the file is %s".formatted(domain.name(),
                    disk.driverType().orElse("?"), actualFormat.orElse("?"))) : Optional.empty();
        }
    }

    private VirtualMachines() {
    }

    public static Scan scan(Path folder) throws IOException {
        List<Domain> domains = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".xml")).sorted().toList()) {
                try {
                    domains.add(DomainXml.read(file));
                } catch (IOException unreadable) {
                    problems.add(unreadable.getMessage());
                }
            }
        }
        return new Scan(List.copyOf(domains), List.copyOf(problems));
    }

    /** The domains that use {@code image}; backing chains found in the disks' files are followed under {@code policy}. */
    public static List<Usage> usesOf(List<Domain> domains, Path image, OpenPolicy policy) throws IOException {
        Path wanted = image.toRealPath();
        ImageOpener opener = new ImageOpener(policy);
        List<Usage> usages = new ArrayList<>();
        for (Domain domain : domains) {
            for (DomainDisk disk : domain.disks()) {
                usage(domain, disk, wanted, opener).ifPresent(usages::add);
            }
        }
        return usages;
    }

    private static Optional<Usage> usage(Domain domain, DomainDisk disk, Path wanted, ImageOpener opener) {
        Optional<Path> source = disk.source().filter(name -> !name.isEmpty()).map(Path::of).filter(Files::isRegularFile);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        if (same(source.get(), wanted)) {
            return Optional.of(new Usage(domain, disk, 0, probe(source.get())));
        }
        for (int depth = 0; depth < disk.backingStores().size(); depth++) {
            Optional<Path> layer = disk.backingStores().get(depth).source().map(Path::of);
            if (layer.isPresent() && same(layer.get(), wanted)) {
                return Optional.of(new Usage(domain, disk, depth + 1, probe(source.get())));
            }
        }
        try (ImageChain chain = opener.openChain(source.get(), Optional.empty(), false)) {
            for (int depth = 1; depth < chain.size(); depth++) {
                if (same(chain.layers().get(depth).path(), wanted)) {
                    return Optional.of(new Usage(domain, disk, depth, probe(source.get())));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // A disk that cannot be opened uses nothing we can see.
        }
        return Optional.empty();
    }

    private static boolean same(Path one, Path other) {
        try {
            return Files.exists(one) && Files.isSameFile(one, other);
        } catch (IOException unresolvable) {
            return false;
        }
    }

    /** The format DiskLens finds in a file (by content), if the file can be read. */
    public static Optional<String> probe(Path file) {
        try (FileBlockSource source = FileBlockSource.open(file)) {
            return Optional.of(ImageFormats.probe(source).name());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}

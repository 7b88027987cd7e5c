package org.disklens.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.crypto.Passphrases;
import org.disklens.io.BlockSource;
import org.disklens.io.FileBlockSource;
import org.disklens.io.FilePool;

/**
 * Opens image files (read-only) and follows backing chains through the {@link OpenPolicy}, detecting
 * loops. The only place in the core that turns a {@link Path} into an image.
 */
public final class ImageOpener {
    /** Longer chains are refused rather than opening thousands of files. */
    public static final int MAX_CHAIN_LENGTH = 256;
    /** Files an image refers to (VMDK extents) that may be open at once; more are closed and reopened as read. */
    public static final int MAX_OPEN_REFERENCES = 32;

    private final OpenPolicy policy;
    private final Map<String, String> options;
    private final Passphrases passphrases;
    private final ProgressListener progress;

    public ImageOpener(OpenPolicy policy) {
        this(policy, Map.of());
    }

    /** An opener that hands drivers the user's {@code options} ({@link OpenContext#option}): {@code disk=2}. */
    public ImageOpener(OpenPolicy policy, Map<String, String> options) {
        this(policy, options, Passphrases.NONE);
    }

    /** ... and the passphrases of encrypted images ({@link OpenContext#passphrases}); the caller closes them. */
    public ImageOpener(OpenPolicy policy, Map<String, String> options, Passphrases passphrases) {
        this(policy, options, passphrases, ProgressListener.NONE);
    }

    /** ... and where drivers report long work done while opening ({@link OpenContext#progress}): a conversion's. */
    public ImageOpener(OpenPolicy policy, Map<String, String> options, Passphrases passphrases,
                       ProgressListener progress) {
        this.policy = policy;
        this.options = Map.copyOf(options);
        this.passphrases = java.util.Objects.requireNonNull(passphrases, "passphrases");
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
    }

    public OpenPolicy policy() {
        return policy;
    }

    /** Opens one layer, probing the format unless {@code format} names it. Backing files are not opened. */
    public DiskImage open(Path file, Optional<String> format) throws IOException {
        FileBlockSource source = FileBlockSource.open(file);
        try {
            ImageFormat driver = format.isPresent() ? byName(format.get()) : ImageFormats.probe(source);
            return driver.open(source, referencesBeside(file));
        } catch (IOException | RuntimeException failure) {
            source.close();
            throw failure;
        }
    }

    /**
     * Opens {@code file} and its backing layers. With {@code strict}, a link that cannot be followed is an
     * error; otherwise the chain stops there and records why.
     */
    public ImageChain openChain(Path file, Optional<String> format, boolean strict) throws IOException {
        List<ImageChain.Layer> layers = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        try {
            Path current = file.toAbsolutePath();
            Optional<String> currentFormat = format;
            seen.add(current.toRealPath());
            while (true) {
                DiskImage image = open(current, currentFormat);
                layers.add(new ImageChain.Layer(image, current));
                Optional<BackingReference> backing = image.backing();
                if (backing.isEmpty()) {
                    return new ImageChain(layers, Optional.empty());
                }
                try {
                    current = nextLayer(current, backing.get(), seen, layers.size());
                    currentFormat = backing.get().format().filter(name -> ImageFormats.byName(name).isPresent());
                } catch (ImageException broken) {
                    if (strict) {
                        throw broken;
                    }
                    var link = new ImageChain.BrokenLink(layers.size() - 1, backing.get().name(), broken.getMessage());
                    return new ImageChain(layers, Optional.of(link));
                }
            }
        } catch (IOException | RuntimeException failure) {
            new ImageChain(layers, Optional.empty()).close();
            throw failure;
        }
    }

    private Path nextLayer(Path current, BackingReference backing, Set<Path> seen, int depth) throws IOException {
        Path next = policy.resolve(folderOf(current), backing.name(), "backing file");
        if (!seen.add(next)) {
            throw new RefusedReference("backing file '%s' makes a loop: %s is already in the chain"
                    .formatted(backing.name(), next));
        }
        if (depth >= MAX_CHAIN_LENGTH) {
            throw new LimitExceeded("backing chain is longer than %d layers".formatted(MAX_CHAIN_LENGTH));
        }
        return next;
    }

    /**
     * References inside an image (data files, extents) resolve against the image's own folder, never to the image
     * itself, and share one lazily opened source per file, at most {@link #MAX_OPEN_REFERENCES} open at once.
     */
    private OpenContext referencesBeside(Path file) throws IOException {
        Path folder = folderOf(file.toAbsolutePath());
        Path image = file.toRealPath();
        FilePool files = new FilePool(MAX_OPEN_REFERENCES);
        return new OpenContext() {
            @Override
            public BlockSource openReference(String reference, String purpose) throws IOException {
                Path target = policy.resolve(folder, reference, purpose);
                if (target.equals(image)) {
                    throw new RefusedReference("%s '%s' is the image itself (%s): an image cannot hold its own %s"
                            .formatted(purpose, reference, image, purpose));
                }
                return files.source(target);
            }

            @Override
            public Optional<String> option(String name) {
                return Optional.ofNullable(options.get(name));
            }

            @Override
            public Passphrases passphrases() {
                return passphrases;
            }

            @Override
            public ProgressListener progress() {
                return progress;
            }
        };
    }

    private static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }

    private static ImageFormat byName(String name) throws UnsupportedFeature {
        return ImageFormats.byName(name).orElseThrow(() -> new UnsupportedFeature(
                "unknown format '%s' (known: %s)".formatted(name, String.join(", ", ImageFormats.names()))));
    }
}

package org.disklens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.disklens.crypto.Passphrases;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageFormats;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;

/** Options every command that opens an image shares. */
final class ImageOptions {
    String format;
    boolean allowOutside;
    /** The user's choices for the format driver ({@code disk} of an OVA), by {@code OpenContext.option} name. */
    final Map<String, String> openOptions = new HashMap<>();
    /** {@code --passphrase-file}: the passphrase of the LUKS volumes inside the image. */
    String passphraseFile;
    private Passphrases passphrases;
    /** {@code --object secret,…}: qemu's spelling of passphrases, named by the images' option strings. */
    final QemuObjects objects = new QemuObjects();
    /** {@code --image-opts}: the image arguments are qemu option strings ({@code driver=qcow2,file.filename=X,…}). */
    boolean imageOpts;
    /** The verb's image arguments, in order (see {@link #image}). */
    private final List<String> images = new ArrayList<>();
    private Map<String, QemuObjects.ImageSpec> specs;
    private final Map<String, Passphrases> namedPassphrases = new HashMap<>();

    /** qemu's cache modes ({@code -t}, {@code -T}). */
    private static final Set<String> CACHE_MODES = Set.of("none", "writeback", "writethrough",
            "directsync", "unsafe");

    /** Adds {@code -f}, {@code --allow-outside} and qemu-img's {@code -U} to {@code syntax}. */
    Syntax declare(Syntax syntax) {
        return syntax.option("-f", "FMT", "Format of the image: " + String.join(", ", ImageFormats.names())
                        + " (default: probed from the content).",
                        value -> format = value)
                .flag("--allow-outside", "Follow backing files, data files and extents outside the image's folder.",
                        () -> allowOutside = true)
                .option("--passphrase-file", "FILE", "Unlock an encrypted image (qcow2 encryption, luks) and the LUKS volumes "
                        + "inside it with the passphrase in FILE (its bytes, less one trailing newline). Without it, a "
                        + "terminal is asked; else they stay locked.",
                        value -> passphraseFile = value)
                .option("--object", "secret,id=ID,data=TEXT", "qemu-img's spelling of a passphrase (repeatable): "
                        + "secret,id=ID,data=TEXT or secret,id=ID,file=PATH (the file's bytes as they are), "
                        + "format=base64 to decode it; an image given with --image-opts names it.", objects::add)
                .flag("--image-opts", "The image arguments are qemu option strings, as qemu-img's: "
                        + "driver=qcow2,file.filename=X,encrypt.key-secret=ID or driver=luks,file.filename=X,key-secret=ID "
                        + "(driver is the format; a comma in a value is doubled).", () -> imageOpts = true)
                .option("--disk", "N", "Which disk of an OVA or OVF appliance to read, from 1 (default: the first).",
                        value -> openOptions.put("disk", diskNumber(value)))
                .flag("-U,--force-share", "Accepted as qemu-img's: DiskLens takes no locks and only reads, so an image a "
                        + "running VM uses can be looked at (it may change meanwhile).", () -> { });
    }

    /** The setter of an image parameter: records the argument, which with {@code --image-opts} is an option string. */
    Syntax.Setter image(Syntax.Setter setter) {
        return value -> {
            images.add(value);
            setter.set(value);
        };
    }

    /** The parsed option strings of the image arguments (empty without {@code --image-opts}), made once. */
    private Map<String, QemuObjects.ImageSpec> specs() throws IOException {
        if (specs == null) {
            Map<String, QemuObjects.ImageSpec> parsed = new HashMap<>();
            if (imageOpts) {
                if (format != null) {
                    throw new IOException("--image-opts and --format are mutually exclusive");
                }
                for (String image : images) {
                    parsed.put(image, QemuObjects.image(image));
                }
            }
            specs = parsed;
        }
        return specs;
    }

    /** The file an image argument names: itself, or with {@code --image-opts} its {@code file.filename}. */
    Path path(String argument) throws IOException {
        QemuObjects.ImageSpec spec = specs().get(argument);
        return Path.of(spec == null ? argument : spec.file());
    }

    /** The file name an image argument stands for, for messages: its file once {@link #path} has parsed it. */
    Path fileName(String argument) {
        QemuObjects.ImageSpec spec = specs == null ? null : specs.get(argument);
        return Path.of(spec == null ? argument : spec.file()).getFileName();
    }

    /** The format of an image argument: {@code fallback} (its -f/-F), or with {@code --image-opts} its driver. */
    Optional<String> format(String argument, String fallback) throws IOException {
        QemuObjects.ImageSpec spec = specs().get(argument);
        return checkedFormat(spec == null ? fallback : spec.driver());
    }

    /** {@link #format(String, String)} with -f. */
    Optional<String> format(String argument) throws IOException {
        return format(argument, format);
    }

    /** Adds qemu-img's {@code -T SRC_CACHE}: checked, then ignored (DiskLens reads through the page cache). */
    static Syntax declareSourceCache(Syntax syntax) {
        return syntax.option("-T", "SRC_CACHE", "Accepted as qemu-img's (none, writeback, writethrough, directsync, "
                + "unsafe); DiskLens reads through the page cache.", value -> cacheMode(value));
    }

    private static String diskNumber(String value) throws Syntax.UsageError {
        try {
            if (Integer.parseInt(value) >= 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw new Syntax.UsageError("--disk wants a disk number from 1, not '%s'".formatted(value));
    }

    /** A qemu cache mode, refused as qemu-img refuses it. */
    static String cacheMode(String value) throws Syntax.UsageError {
        if (!CACHE_MODES.contains(value)) {
            throw new Syntax.UsageError("Invalid cache option: " + value);
        }
        return value;
    }

    /**
     * The passphrases of the encrypted volumes inside the image, made once per command: the file's, or without
     * {@code --passphrase-file} a prompt when standard input and output are a terminal, else none. The command closes
     * them (zeroing what they unlocked) when it is done.
     */
    Passphrases passphrases() throws IOException {
        return images.isEmpty() ? commonPassphrases() : passphrases(images.getFirst());
    }

    /**
     * The passphrases of image argument {@code argument}: with {@code --image-opts}, the secret its option string
     * names ({@code encrypt.key-secret}, {@code key-secret}), which must have been given with {@code --object};
     * else those of {@link #passphrases()}.
     */
    Passphrases passphrases(String argument) throws IOException {
        QemuObjects.ImageSpec spec = specs().get(argument);
        if (spec == null || spec.keySecret() == null) {
            return commonPassphrases();
        }
        if (passphraseFile != null) {
            throw new IOException("give the passphrase either with --passphrase-file or with --object secret, not both");
        }
        Passphrases named = namedPassphrases.get(argument);
        if (named == null) {
            named = Passphrases.of(objects.secret(spec.keySecret()));
            namedPassphrases.put(argument, named);
        }
        return named;
    }

    private Passphrases commonPassphrases() throws IOException {
        if (passphrases == null) {
            if (passphraseFile != null) {
                passphrases = Passphrases.fromFile(Path.of(passphraseFile));
            } else if (imageOpts) {
                passphrases = Passphrases.NONE;
            } else {
                java.io.Console console = System.console();
                passphrases = console != null && console.isTerminal() ? Passphrases.prompting(console) : Passphrases.NONE;
            }
        }
        return passphrases;
    }

    /**
     * qemu-img unlocks an image whose option string names a secret when it opens it (a wrong one is refused then,
     * even by {@code map}); DiskLens unlocks on first read unless asked here.
     */
    void unlockNamed(String argument, ImageChain chain) throws IOException {
        QemuObjects.ImageSpec spec = specs().get(argument);
        if (spec != null && spec.keySecret() != null) {
            chain.top().unlock();
        }
    }

    /** Zeroes the passphrases and what they unlocked. */
    void closePassphrases() {
        if (passphrases != null) {
            passphrases.close();
        }
        namedPassphrases.values().forEach(Passphrases::close);
        objects.close();
    }

    /** Encrypted images (qcow2 with encryption, luks) are unlocked with {@link #passphrases()}. */
    ImageOpener opener() throws IOException {
        return new ImageOpener(new OpenPolicy(allowOutside), openOptions, passphrases());
    }

    /** The opener of image argument {@code argument}, with {@link #passphrases(String)}. */
    ImageOpener opener(String argument) throws IOException {
        return new ImageOpener(new OpenPolicy(allowOutside), openOptions, passphrases(argument));
    }

    Optional<String> format() throws IOException {
        return checkedFormat(format);
    }

    DiskImage open(String file) throws IOException {
        return opener(file).open(path(file), format(file));
    }

    ImageChain openChain(String file) throws IOException {
        return opener(file).openChain(path(file), format(file), true);
    }

    static Optional<String> checkedFormat(String name) throws IOException {
        if (name == null) {
            return Optional.empty();
        }
        if (ImageFormats.byName(name).isEmpty()) {
            throw new IOException("unknown format '%s' (known: %s)".formatted(name, String.join(", ", ImageFormats.names())));
        }
        return Optional.of(name);
    }
}

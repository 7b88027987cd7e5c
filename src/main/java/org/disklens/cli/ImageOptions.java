package org.disklens.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
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
                .option("--disk", "N", "Which disk of an OVA or OVF appliance to read, from 1 (default: the first).",
                        value -> openOptions.put("disk", diskNumber(value)))
                .flag("-U,--force-share", "Accepted as qemu-img's: DiskLens takes no locks and only reads, so an image a "
                        + "running VM uses can be looked at (it may change meanwhile).", () -> { });
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
        if (passphrases == null) {
            if (passphraseFile != null) {
                passphrases = Passphrases.fromFile(Path.of(passphraseFile));
            } else {
                java.io.Console console = System.console();
                passphrases = console != null && console.isTerminal() ? Passphrases.prompting(console) : Passphrases.NONE;
            }
        }
        return passphrases;
    }

    /** Zeroes the passphrases and what they unlocked. */
    void closePassphrases() {
        if (passphrases != null) {
            passphrases.close();
        }
    }

    /** Encrypted images (qcow2 with encryption, luks) are unlocked with {@link #passphrases()}. */
    ImageOpener opener() throws IOException {
        return new ImageOpener(new OpenPolicy(allowOutside), openOptions, passphrases());
    }

    Optional<String> format() throws IOException {
        return checkedFormat(format);
    }

    DiskImage open(String file) throws IOException {
        return opener().open(Path.of(file), format());
    }

    ImageChain openChain(String file) throws IOException {
        return opener().openChain(Path.of(file), format(), true);
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

package org.disklens.cli;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileSystem;
import org.disklens.content.GuestView;
import org.disklens.crypto.Passphrases;
import org.disklens.image.ImageChain;

/**
 * An image opened for a file system inside it: any format, read through its guest view; {@code -m VOL} names the
 * volume (a partition's index, 0 for the whole disk, VG/LV, luks-UUID), else the disk's only file system DiskLens can
 * list.
 */
record ContentSource(ImageChain chain, FileSystem fileSystem, Passphrases passphrases) implements Closeable {

    /** Adds {@code -m VOL} to a verb that reads a guest file system. */
    static final class VolumeOption {
        Optional<String> volume = Optional.empty();

        Syntax declare(Syntax syntax) {
            return syntax.option("-m", "VOL", "The volume to read: a partition's index as info --json numbers it, "
                    + "0 for a file system over the whole disk, VG/LV, or luks-UUID (default: the disk's only file system).",
                    value -> volume = Optional.of(value));
        }
    }

    /**
     * Opens the chain and the volume's file system; LUKS volumes are unlocked with the options' passphrases, and a
     * passphrase that opens none of them is an error (exit 1, one line), whichever volume was asked for.
     */
    static ContentSource open(ImageOptions options, String file, VolumeOption volume) throws IOException {
        Passphrases passphrases = options.passphrases();
        ImageChain chain = options.openChain(file);
        try {
            FileSystem fileSystem;
            try {
                fileSystem = DiskLayout.select(new GuestView(chain), volume.volume, passphrases).open();
            } finally {
                passphrases.requireOpened();
            }
            return new ContentSource(chain, fileSystem, passphrases);
        } catch (IOException | RuntimeException failure) {
            chain.close();
            passphrases.close();
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            chain.close();
        } finally {
            passphrases.close();
        }
    }
}

package org.disklens.cli;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileSystem;
import org.disklens.content.GuestView;
import org.disklens.image.ImageChain;

/**
 * An image opened for a file system inside it: any format, read through its guest view; {@code -m VOL} names the
 * volume (a partition's index, 0 for the whole disk, VG/LV), else the disk's only file system DiskLens can list.
 */
record ContentSource(ImageChain chain, FileSystem fileSystem) implements Closeable {

    /** Adds {@code -m VOL} to a verb that reads a guest file system. */
    static final class VolumeOption {
        Optional<String> volume = Optional.empty();

        Syntax declare(Syntax syntax) {
            return syntax.option("-m", "VOL", "The volume to read: a partition's index as info --json numbers it, "
                    + "0 for a file system over the whole disk, or VG/LV (default: the disk's only file system).",
                    value -> volume = Optional.of(value));
        }
    }

    static ContentSource open(ImageOptions options, String file, VolumeOption volume) throws IOException {
        ImageChain chain = options.openChain(file);
        try {
            return new ContentSource(chain, DiskLayout.select(new GuestView(chain), volume.volume).open());
        } catch (IOException | RuntimeException failure) {
            chain.close();
            throw failure;
        }
    }

    @Override
    public void close() throws IOException {
        chain.close();
    }
}

package org.disklens.cli;

import java.io.Closeable;
import java.io.IOException;
import org.disklens.content.DiskLayout;
import org.disklens.content.FileSystem;
import org.disklens.content.GuestView;
import org.disklens.image.ImageChain;

/** An image opened for the file system inside it: any format, read through its guest view. */
record ContentSource(ImageChain chain, FileSystem fileSystem) implements Closeable {

    static ContentSource open(ImageOptions options, String file) throws IOException {
        ImageChain chain = options.openChain(file);
        try {
            return new ContentSource(chain, DiskLayout.onlyBrowsable(new GuestView(chain)).open());
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

package org.disklens.cli;

import java.io.Closeable;
import java.io.IOException;
import org.disklens.content.FileTree;
import org.disklens.content.FileTrees;
import org.disklens.content.GuestView;
import org.disklens.image.ImageChain;

/** An image opened for its file tree: any format, read through its guest view. */
record ContentSource(ImageChain chain, FileTree tree) implements Closeable {

    static ContentSource open(ImageOptions options, String file) throws IOException {
        ImageChain chain = options.openChain(file);
        try {
            return new ContentSource(chain, FileTrees.open(new GuestView(chain)));
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

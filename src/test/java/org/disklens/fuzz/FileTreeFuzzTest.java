package org.disklens.fuzz;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import org.disklens.content.FileEntry;
import org.disklens.content.FileTree;
import org.disklens.content.FileTrees;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.io.MemoryBlockSource;

/**
 * Fuzzes the file trees: ISO 9660, Joliet, Rock Ridge and UDF, walked whole with small files copied. Seeds:
 * src/test/resources/org/disklens/fuzz/make-content-seeds.sh. Only {@link ImageException} may escape and no
 * input may take over 10 s.
 */
class FileTreeFuzzTest {
    private static final long MAX_COPY = 1 << 20;

    @ParserFuzzTest
    void fileTree(byte[] bytes) {
        long start = System.nanoTime();
        try {
            FileTree tree = FileTrees.open(new MemoryBlockSource("fuzz.iso", bytes));
            long[] copied = {0};
            tree.walk(tree.root(), entry -> {
                if (entry.type() == FileEntry.Type.FILE && copied[0] + entry.size() <= MAX_COPY) {
                    copied[0] += entry.size();
                    tree.copy(entry, Channels.newChannel(OutputStream.nullOutputStream()), ProgressListener.NONE);
                }
            }, ProgressListener.NONE);
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

package org.disklens.content;

import java.io.IOException;
import org.disklens.image.ImageException;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes partition tables (MBR with logical chains, GPT with its backup header) and the file-system
 * signatures of every type in {@link FileSystemTypes}, read in each partition. Seeds: make-fuzz-seeds.sh in this
 * package's test resources.
 */
class DiskLayoutFuzzTest {
    @ParserFuzzTest
    void diskLayout(byte[] bytes) {
        long start = System.nanoTime();
        try {
            DiskLayout.read(new MemoryBlockSource("fuzz.raw", bytes));
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

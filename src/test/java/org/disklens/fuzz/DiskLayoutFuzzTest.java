package org.disklens.fuzz;

import java.io.IOException;
import org.disklens.content.DiskLayout;
import org.disklens.image.ImageException;
import org.disklens.io.MemoryBlockSource;

/**
 * Fuzzes partition tables (MBR with logical chains, GPT with its backup header) and the file-system
 * signatures read in each partition. Seeds: make-content-seeds.sh.
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

package org.disklens.content;

import java.io.IOException;
import org.disklens.image.ImageException;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes partition tables (MBR with logical chains, GPT with its backup header) and the file-system
 * signatures of every type in {@link FileSystemTypes}, read in each partition, whose claimed sizes must be sound
 * ({@link FuzzTarget#checkClaimedSizes}). Seeds: make-fuzz-seeds.sh in this package's test resources (with superblocks
 * whose sizes cannot be true).
 */
class DiskLayoutFuzzTest {
    @ParserFuzzTest
    void diskLayout(byte[] bytes) {
        long start = System.nanoTime();
        try {
            for (Volume volume : DiskLayout.read(new MemoryBlockSource("fuzz.raw", bytes))) {
                long volumeBytes = volume.bytes().size();
                volume.filesystem().ifPresent(info -> FuzzTarget.checkClaimedSizes(info, volumeBytes));
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

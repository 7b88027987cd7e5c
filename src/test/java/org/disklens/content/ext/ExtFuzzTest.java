package org.disklens.content.ext;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes ext2/ext4 (block maps, extent trees, htree directories, inline data), walked whole with small files copied.
 * Seeds: make-fuzz-seeds.sh in this package's test resources.
 */
class ExtFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new ExtType(), bytes);
    }
}

package org.disklens.content.iso;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the ISO 9660 file system with Rock Ridge and Joliet names, walked whole with small files copied. Seeds:
 * make-fuzz-seeds.sh in this package's test resources.
 */
class IsoFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new Iso9660Type(), bytes);
    }
}

package org.disklens.content.btrfs;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes Btrfs (superblock and mirrors, system chunk array, chunk/root/FS trees, directories, file extents and their
 * decoders), walked whole with small files copied. Seeds: make-fuzz-seeds.sh in this package's test resources.
 */
class BtrfsFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new BtrfsType(), bytes);
    }
}

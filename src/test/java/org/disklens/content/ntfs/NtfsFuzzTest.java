package org.disklens.content.ntfs;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the NTFS file system, walked whole with small files copied (resident, non-resident, compressed, sparse,
 * streams, links). Seeds: make-fuzz-seeds.sh in this package's test resources.
 */
class NtfsFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new NtfsType(), bytes);
    }
}

package org.disklens.content.fat;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes FAT12/16/32, walked whole with small files copied. Seeds: make-fuzz-seeds.sh beside its inputs
 * (regression-* files there are what the fuzzer found).
 */
class FatFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new FatType(), bytes);
    }
}

package org.disklens.image.vmdk;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the VMDK driver (sparse headers, footers, grain directories and tables, compressed grains,
 * descriptors). Seeds: make-fuzz-seeds.sh in this package's test resources. See {@link ParserFuzzTest}.
 */
class VmdkFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new VmdkFormat(), bytes);
    }
}

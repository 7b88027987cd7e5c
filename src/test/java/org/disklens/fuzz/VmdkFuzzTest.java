package org.disklens.fuzz;

import org.disklens.image.vmdk.VmdkFormat;

/**
 * Fuzzes the VMDK driver (sparse headers, footers, grain directories and tables, compressed grains,
 * descriptors). Seeds: src/test/resources/org/disklens/fuzz/make-vmdk-seeds.sh. See {@link Qcow2FuzzTest}.
 */
class VmdkFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new VmdkFormat(), bytes);
    }
}

package org.disklens.image.ova;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the loose OVF driver: the descriptor's XML alone (in memory every file it names is refused, so a descriptor
 * without disks is what opens). Seeds: make-fuzz-seeds.sh in this package's test resources. See {@link ParserFuzzTest}.
 */
class OvfFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new OvfFormat(), bytes);
    }
}

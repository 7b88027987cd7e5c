package org.disklens.image.ova;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the OVA driver: tar headers, pax and GNU long names, the OVF descriptor, the disk opened inside, manifests
 * ({@code OvfFuzzTest} fuzzes the loose descriptor). Seeds: make-fuzz-seeds.sh in this package's test resources. See
 * {@link ParserFuzzTest}.
 */
class OvaFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new OvaFormat(), bytes);
    }
}

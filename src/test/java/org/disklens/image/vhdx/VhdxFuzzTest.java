package org.disklens.image.vhdx;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the VHDX driver (headers, log search and replay, region table, metadata and parent locator, BAT, sector
 * bitmaps). Seeds: make-fuzz-seeds.sh in this package's test resources. See {@link ParserFuzzTest}.
 */
class VhdxFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new VhdxFormat(), bytes);
    }
}

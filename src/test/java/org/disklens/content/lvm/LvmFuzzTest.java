package org.disklens.content.lvm;

import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes LVM2 physical volumes (LvmHarness): {@code physicalVolume} takes the input as a whole PV (label, PV header,
 * metadata areas and their ring, the text, the LVs read a few KiB each); {@code metadataText} takes it as the metadata
 * text of a PV that PvBuilder writes around it with the right checksums, so mutations reach the parser and the LV
 * checks instead of stopping at a CRC. Seeds: make-fixtures.sh in this package's test resources.
 */
class LvmFuzzTest {
    @ParserFuzzTest
    void physicalVolume(byte[] bytes) {
        LvmHarness.exercise(bytes);
    }

    @ParserFuzzTest
    void metadataText(byte[] text) {
        LvmHarness.exercise(PvBuilder.withText(text));
    }
}

package org.disklens.image.qcow2;

import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the qcow2 driver. {@code mvn verify} replays the seeds (small images from qemu-img, made by
 * make-fuzz-seeds.sh in this package's test resources) and every regression input beside them;
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=Qcow2FuzzTest} fuzzes for real (see {@link ParserFuzzTest}).
 */
class Qcow2FuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new Qcow2Format(), bytes);
    }
}

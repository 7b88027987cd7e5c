package org.disklens.fuzz;

import org.disklens.image.qcow2.Qcow2Format;

/**
 * Fuzzes the qcow2 driver. {@code mvn verify} replays the seeds (small images from qemu-img, made by
 * src/test/resources/org/disklens/fuzz/make-qcow2-seeds.sh) and every regression input beside them;
 * {@code JAZZER_FUZZ=1 mvn test -Dtest=Qcow2FuzzTest} fuzzes for real (see README, "Fuzzing").
 */
class Qcow2FuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new Qcow2Format(), bytes);
    }
}

package org.disklens.image.vhd;

import java.io.IOException;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageException;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the VHD driver (footers and their copies, dynamic headers, BATs, sector bitmaps, parent locators, the check)
 * and, beyond what every format's fuzz test does, its probe, header sheet, badges and file layout. Seeds:
 * make-fuzz-seeds.sh in this package's test resources. See {@link ParserFuzzTest}.
 */
class VhdFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new VhdFormat(), bytes);
        long start = System.nanoTime();
        VhdFormat format = new VhdFormat();
        try (DiskImage image = format.open(new MemoryBlockSource("fuzz.vhd", bytes), OpenContext.refuseAll())) {
            format.probe(image.source());
            image.headerFields();
            image.features();
            image.backing();
            image.describeHost((region, offset, length) -> {
            }, ProgressListener.NONE);
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

package org.disklens.image.vdi;

import java.io.IOException;
import org.disklens.image.ImageException;
import org.disklens.image.ProgressListener;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the VDI driver (pre-header, both header versions, block map, data blocks, check), and what the window shows
 * of an image (header fields, features, the File layout runs, which must tile the file in order). Seeds:
 * make-fuzz-seeds.sh in this package's test resources. See {@link ParserFuzzTest}.
 */
class VdiFuzzTest {
    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new VdiFormat(), bytes);
    }

    @ParserFuzzTest
    void describeHost(byte[] bytes) {
        long start = System.nanoTime();
        try (VdiImage image = VdiImage.open(new MemoryBlockSource("fuzz.vdi", bytes))) {
            image.headerFields();
            image.features();
            image.formatTitle();
            long[] end = {0};
            image.describeHost((region, hostOffset, length) -> {
                if (hostOffset != end[0] || length <= 0) {
                    throw new AssertionError("run %s at 0x%x (+%d) after 0x%x".formatted(region.label(), hostOffset,
                            length, end[0]));
                }
                end[0] = hostOffset + length;
            }, ProgressListener.NONE);
            if (end[0] != bytes.length) {
                throw new AssertionError("runs end at 0x%x, the file at 0x%x".formatted(end[0], bytes.length));
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

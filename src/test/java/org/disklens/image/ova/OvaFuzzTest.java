package org.disklens.image.ova;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageException;
import org.disklens.image.ImageReader;
import org.disklens.image.Mapping;
import org.disklens.image.OpenContext;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;

/**
 * Fuzzes the OVA driver: tar headers, pax and GNU long names, the OVF descriptor, the disk opened inside, manifests
 * ({@code OvfFuzzTest} fuzzes the loose descriptor); and a gzip-compressed disk opened as a conversion opens it
 * ({@code access=sequential}): the gzip headers, deflate data and trailers ({@link GzipStream}), the inflated view
 * ({@link InflatedMember}) and the disk inside. Seeds: make-fuzz-seeds.sh in this package's test resources. See
 * {@link ParserFuzzTest}.
 */
class OvaFuzzTest {
    private static final int MAX_MAP_STEPS = 4096;
    private static final int MAX_READS = 64;

    @ParserFuzzTest
    void openMapReadCheck(byte[] bytes) {
        FuzzTarget.exercise(new OvaFormat(), bytes);
    }

    /** An OVA whose disk may be gzip-compressed, opened for a conversion and read front to back as one reads it. */
    @ParserFuzzTest
    void convertGzipDisk(byte[] bytes) {
        long start = System.nanoTime();
        OpenContext sequential = new OpenContext() {
            @Override
            public org.disklens.io.BlockSource openReference(String reference, String purpose) throws IOException {
                return OpenContext.refuseAll().openReference(reference, purpose);
            }

            @Override
            public Optional<String> option(String name) {
                return name.equals(OvaImage.ACCESS_OPTION) ? Optional.of(OvaImage.ACCESS_SEQUENTIAL) : Optional.empty();
            }
        };
        try (DiskImage image = new OvaFormat().open(new MemoryBlockSource("fuzz.ova", bytes), sequential)) {
            ImageReader reader = new ImageReader(new ImageChain(List.of(new ImageChain.Layer(image,
                    java.nio.file.Path.of("fuzz"))), Optional.empty()));
            long at = 0;
            int reads = 0;
            for (int step = 0; step < MAX_MAP_STEPS && at < image.virtualSize(); step++) {
                Mapping mapping = image.map(at, image.virtualSize() - at);
                if (!(mapping instanceof Mapping.Zero) && !(mapping instanceof Mapping.Unallocated) && reads++ < MAX_READS) {
                    reader.read(at, ByteBuffer.allocate((int) Math.min(64 << 10, mapping.length())));
                }
                at += mapping.length();
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }

    /** Any bytes as a gzip file: inflated once when opened, then read back to front in small chunks. */
    @ParserFuzzTest
    void inflateGzip(byte[] bytes) {
        long start = System.nanoTime();
        try (InflatedMember member = InflatedMember.open(new MemoryBlockSource("fuzz.gz", bytes), "fuzz", 64L << 20,
                "fuzz", 4096, 4, 1, 2)) {
            for (long at = member.size() - 1; at >= 0 && start + FuzzTarget.TIME_BOUND_NANOS / 4 > System.nanoTime();
                    at -= 5000) {
                member.read(at, ByteBuffer.allocate((int) Math.min(100, member.size() - at)));
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }
}

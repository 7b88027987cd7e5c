package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Writes the seeds of {@code VhdxFuzzTest} (make-fuzz-seeds.sh runs it): small VHDX files of each kind, built from the
 * spec with a compact layout (qemu-img's smallest VHDX is an 8 MiB file, mostly holes) and cut after their last byte
 * that matters: dynamic, fixed, every payload state, differencing with a sector bitmap, and a pending log.
 */
public final class VhdxSeeds {
    private static final int KIB = 1024;
    private static final int MIB = 1 << 20;

    private VhdxSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args[0]));
        byte[] data = VhdxDifferencingTest.filled(64 * KIB, 0x5a);
        write(out.resolve("dynamic.vhdx"), new VhdxBuilder(64 * KIB, MIB).block(0, Bat.FULLY_PRESENT, data).build(),
                MIB + 64 * KIB);
        write(out.resolve("fixed.vhdx"), new VhdxBuilder(64 * KIB, MIB).fixed().build(), MIB + 64 * KIB);
        write(out.resolve("states.vhdx"), new VhdxBuilder(4L * MIB, MIB).block(0, Bat.ZERO, null)
                .block(1, Bat.UNDEFINED, null).block(2, Bat.UNMAPPED, null).build(), 392 * KIB);
        BitSet sectors = new BitSet();
        sectors.set(3, 40);
        write(out.resolve("differencing.vhdx"), new VhdxBuilder(64 * KIB, MIB).parent(Map.of("parent_linkage",
                Guid.random().braced(), "relative_path", ".\\parent.vhdx")).partial(0, data, sectors).build(),
                2 * MIB + 64 * KIB);
        Path logged = out.resolve("log.vhdx");
        write(logged, new VhdxBuilder(64 * KIB, MIB).logRegion().block(0, Bat.FULLY_PRESENT, data).build(),
                2 * MIB + 64 * KIB);
        new LogBuilder(logged).entry(0, 1, 0, List.of(LogBuilder.Descriptor.data(2 * MIB + 4096,
                VhdxDifferencingTest.filled(4096, 0x6b)), LogBuilder.Descriptor.zero(2 * MIB + 8192, 8192))).install();
    }

    private static void write(Path file, byte[] image, int length) throws IOException {
        Files.write(file, Arrays.copyOf(image, length));
    }
}

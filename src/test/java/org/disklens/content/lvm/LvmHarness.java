package org.disklens.content.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.disklens.content.Placement;
import org.disklens.content.Volume;
import org.disklens.content.VolumeContainer;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;

/**
 * What LvmFuzzTest does with an input: the bytes as a whole-disk member, opened as DiskLayout opens LVM members, then
 * every readable LV used as file systems use volumes (a few KiB read at its start, middle and end, its placement and
 * allocation asked). Only an ImageException may escape, and no input may take longer than FuzzTarget's bound.
 */
final class LvmHarness {
    private static final int READ = 4096;

    private LvmHarness() {
    }

    static void exercise(byte[] bytes) {
        long start = System.nanoTime();
        try {
            Volume member = LvmImages.wholeDisk(new MemoryBlockSource("fuzz.lvm", bytes));
            for (VolumeContainer.Group group : new LvmType().open(List.of(member))) {
                for (VolumeContainer.Inner inner : group.volumes()) {
                    if (inner.volume().isPresent() == inner.unreadable().isPresent()) {
                        throw new AssertionError("an LV must be readable or say why not: " + inner);
                    }
                    if (inner.volume().isPresent()) {
                        use(inner.volume().get());
                    }
                }
            }
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        FuzzTarget.checkTime(start);
    }

    private static void use(Volume volume) throws IOException {
        BlockSource bytes = volume.bytes();
        long size = bytes.size();
        for (long at : new long[] {0, size / 2, Math.max(0, size - READ)}) {
            int length = (int) Math.min(READ, size - at);
            if (length <= 0) {
                continue;
            }
            bytes.read(at, ByteBuffer.allocate(length));
            Placement.GuestRun run = volume.placement().at(at, length);
            if (run.length() <= 0 || run.length() > length) {
                throw new AssertionError("placement of %d bytes at %d: %s".formatted(length, at, run));
            }
            bytes.extentAt(at);
        }
    }
}

package org.disklens.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Optional;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.image.DiskImage;
import org.disklens.image.ImageChain;
import org.disklens.image.ImageException;
import org.disklens.image.ImageFormat;
import org.disklens.image.ImageReader;
import org.disklens.image.OpenContext;
import org.disklens.image.ProgressListener;
import org.disklens.inspect.AllocationMap;
import org.disklens.io.MemoryBlockSource;

/**
 * What every fuzz test does with an input: open it with a format driver or a file system from an in-memory source,
 * then use it the way the commands do — facts, map, reads, check; listing every directory and copying small files.
 * Only {@link ImageException} may escape; anything else (an unchecked exception, an {@code EOFException}, an
 * {@code OutOfMemoryError}) is a finding, and so is an input that keeps one call busy for more than
 * {@link #TIME_BOUND_NANOS}.
 */
public final class FuzzTarget {
    public static final long TIME_BOUND_NANOS = 10_000_000_000L;
    /** Bytes of files copied per input. */
    private static final long MAX_COPY = 1 << 20;
    /** Map steps and bytes read per input: enough to reach every structure of a small image. */
    private static final int MAX_MAP_STEPS = 4096;
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_READS = 64;
    /** {@code FileSystemTypes.MIN_VOLUME}: smaller volumes are not probed. */
    private static final int MIN_PROBED_VOLUME = 4096;

    private FuzzTarget() {
    }

    public static void exercise(ImageFormat format, byte[] bytes) {
        long start = System.nanoTime();
        try (DiskImage image = format.open(new MemoryBlockSource("fuzz." + format.name(), bytes), OpenContext.refuseAll())) {
            use(image);
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        checkTime(start);
    }

    /**
     * The sizes a signature reports are sound ({@link org.disklens.content.ClaimedSizes}): none negative, none larger
     * than the volume that holds it (but a Btrfs over several devices, whose size is theirs together), used at most
     * the size; each one left out is said in a warning.
     */
    public static void checkClaimedSizes(FileSystemInfo info, long volumeBytes) {
        long limit = info.type().equals("btrfs") ? Long.MAX_VALUE : volumeBytes;
        info.size().ifPresent(size -> {
            if (size < 0 || size > limit) {
                throw new AssertionError("%s size %d in a volume of %d bytes".formatted(info.type(), size, volumeBytes));
            }
        });
        info.used().ifPresent(used -> {
            if (used < 0 || info.size().isEmpty() || used > info.size().getAsLong()) {
                throw new AssertionError("%s used %d of a size %s".formatted(info.type(), used, info.size()));
            }
        });
        for (String warning : info.warnings()) {
            if (!warning.startsWith(info.type() + ": ")) {
                throw new AssertionError("a warning that does not name its file system: " + warning);
            }
        }
    }

    public static void checkTime(long start) {
        long elapsed = System.nanoTime() - start;
        if (elapsed > TIME_BOUND_NANOS) {
            throw new AssertionError("one input took %d ms".formatted(elapsed / 1_000_000));
        }
    }

    /**
     * Probes {@code bytes} as {@code type}'s signature (its claimed sizes must be sound: {@link #checkClaimedSizes}),
     * opens them as its file system, walks the whole tree and copies files up to 1 MiB in all.
     */
    public static void exercise(FileSystemType type, byte[] bytes) {
        long start = System.nanoTime();
        try {
            MemoryBlockSource volume = new MemoryBlockSource("fuzz." + type.name(), bytes);
            ByteBuffer head = ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, FileSystemType.HEAD_BYTES)).slice()
                    .asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            // Probed as FileSystemTypes.detect probes: only volumes of at least 4 KiB.
            if (bytes.length >= MIN_PROBED_VOLUME) {
                type.probe(head, volume).ifPresent(info -> checkClaimedSizes(info, bytes.length));
            }
            FileSystem fileSystem = type.open(volume);
            long[] copied = {0};
            fileSystem.walk(fileSystem.root(), entry -> {
                if (entry.type() == FileEntry.Type.FILE && copied[0] + entry.size() <= MAX_COPY) {
                    copied[0] += entry.size();
                    fileSystem.copy(entry, Channels.newChannel(OutputStream.nullOutputStream()), ProgressListener.NONE);
                }
            }, ProgressListener.NONE);
        } catch (ImageException expected) {
            // A clear refusal is a sound answer.
        } catch (IOException other) {
            throw new AssertionError("an IOException that is not an ImageException escaped: " + other, other);
        }
        checkTime(start);
    }

    private static void use(DiskImage image) throws IOException {
        image.formatSpecific(java.util.function.UnaryOperator.identity());
        image.snapshots();
        image.backing();
        image.clusterSize();
        ImageChain chain = new ImageChain(java.util.List.of(new ImageChain.Layer(image, java.nio.file.Path.of("fuzz"))),
                Optional.empty());
        AllocationMap map = new AllocationMap(chain);
        ImageReader reader = new ImageReader(chain);
        long at = 0;
        int reads = 0;
        for (int step = 0; step < MAX_MAP_STEPS && at < image.virtualSize(); step++) {
            var entry = map.entryAt(at, image.virtualSize() - at);
            if (entry.data() && reads < MAX_READS) {
                reader.read(at, ByteBuffer.allocate((int) Math.min(READ_CHUNK, entry.length())));
                reads++;
            }
            at += entry.length();
        }
        image.check(ProgressListener.NONE);
    }
}

package org.disklens.convert;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.disklens.image.DiskImage;
import org.disklens.image.ProgressListener;
import org.disklens.image.SizeEstimate;
import org.disklens.image.TargetConfig;

/**
 * {@code qemu-img measure}: how large a conversion's result would be, before converting. Each target format
 * answers for its own layout ({@link TargetConfig#estimate}: qemu's {@code raw_measure} and {@code qcow2_measure},
 * DiskLens's own VMDK layouts); this class walks the source for them, reporting progress and stopping when cancelled.
 */
public final class Measure {
    private Measure() {
    }

    /** The sizes for converting {@code source} to {@code target}. */
    public static SizeEstimate estimate(SourceSpec source, TargetSpec target) throws IOException {
        return estimate(source, target, ProgressListener.NONE);
    }

    /**
     * The sizes for converting {@code source} to {@code target}, reporting the guest bytes walked so far and
     * stopping (with {@link java.util.concurrent.CancellationException}) when {@code progress} is cancelled.
     */
    public static SizeEstimate estimate(SourceSpec source, TargetSpec target, ProgressListener progress)
            throws IOException {
        TargetConfig config = target.config();
        try (SourceImage image = SourceImage.open(source, progress)) {
            return config.estimate(new TargetConfig.MeasureSource() {
                @Override
                public long size() {
                    return target.sizeFor(image.size());
                }

                @Override
                public long touchedUnits(long unitSize) throws IOException {
                    return Measure.touchedUnits(image, unitSize, progress);
                }

                @Override
                public Optional<List<DiskImage.Bitmap>> bitmaps() {
                    return image.top().bitmaps();
                }
            });
        }
    }

    /** The sizes for a new, empty image of {@code virtualSize} bytes ({@code qemu-img measure --size}). */
    public static SizeEstimate estimate(long virtualSize, TargetSpec target) throws IOException {
        return target.config().estimate(new TargetConfig.MeasureSource() {
            @Override
            public long size() {
                return virtualSize;
            }

            @Override
            public long touchedUnits(long unitSize) {
                return 0;
            }

            @Override
            public Optional<List<DiskImage.Bitmap>> bitmaps() {
                return Optional.empty();
            }
        });
    }

    /**
     * Bytes of the source's data, counted in units of {@code unitSize} as {@link #estimate} counts clusters: at most
     * what a sparse copy (a raw file with holes) stores on the host.
     */
    public static long storedBytes(SourceSpec source, long unitSize, ProgressListener progress) throws IOException {
        try (SourceImage image = SourceImage.open(source, progress)) {
            return touchedUnits(image, unitSize, progress) * unitSize;
        }
    }

    /**
     * Units of {@code unitSize} that the source's data touches, counted as qemu's measure counts them (over
     * {@code map}'s view, where data clusters over host holes read as zero): a data run is extended to the end of
     * its last unit and counted from the start of its first.
     */
    static long touchedUnits(SourceImage image, long unitSize, ProgressListener progress) throws IOException {
        long size = image.size();
        long bytes = 0;
        long at = 0;
        while (at < size) {
            progress.checkCancelled();
            progress.progress(at, size);
            SourceImage.Run run = image.allocationAt(at, size - at);
            long length = run.length();
            if (run.kind() == SourceImage.Kind.DATA) {
                length = TargetConfig.roundUp(at + length, unitSize) - at;
                bytes += at % unitSize + length;
            }
            at += length;
        }
        progress.progress(size, size);
        return Math.ceilDiv(bytes, unitSize);
    }
}

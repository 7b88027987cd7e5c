package org.disklens.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.disklens.content.btrfs.BtrfsType;
import org.disklens.content.exfat.ExfatType;
import org.disklens.content.ext.ExtType;
import org.disklens.content.fat.FatType;
import org.disklens.content.iso.Iso9660Type;
import org.disklens.content.luks.LuksType;
import org.disklens.content.lvm.LvmType;
import org.disklens.content.ntfs.NtfsType;
import org.disklens.content.swap.SwapType;
import org.disklens.content.udf.UdfType;
import org.disklens.content.xfs.XfsType;
import org.disklens.io.BlockSource;

/**
 * The one list of file systems and volume signatures, tried in this order on every volume (as blkid orders its
 * probes: containers first, then the file systems whose magic sits at a fixed place, the optical ones last, so that
 * a UDF bridge disc is named udf).
 */
public final class FileSystemTypes {
    private static final List<FileSystemType> ALL = List.of(new LuksType(), new LvmType(), new XfsType(), new ExtType(),
            new BtrfsType(), new NtfsType(), new ExfatType(), new FatType(), new SwapType(), new UdfType(),
            new Iso9660Type());
    /** Volumes smaller than this hold no file system DiskLens knows. */
    static final long MIN_VOLUME = 4096;

    private FileSystemTypes() {
    }

    public static List<FileSystemType> all() {
        return ALL;
    }

    /** A type that recognised a volume, and what its signature says. */
    public record Detected(FileSystemType type, FileSystemInfo info) {
    }

    /** The first type whose signature {@code volume} carries; only superblocks are read (a few KiB). */
    public static Optional<Detected> detect(BlockSource volume) throws IOException {
        long size = volume.size();
        if (size < MIN_VOLUME) {
            return Optional.empty();
        }
        ByteBuffer head = volume.read(0, (int) Math.min(size, FileSystemType.HEAD_BYTES), ByteOrder.LITTLE_ENDIAN)
                .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (FileSystemType type : ALL) {
            Optional<FileSystemInfo> found = type.probe(head.duplicate().order(ByteOrder.LITTLE_ENDIAN), volume);
            if (found.isPresent()) {
                return Optional.of(new Detected(type, found.get()));
            }
        }
        return Optional.empty();
    }
}

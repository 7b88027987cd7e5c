package org.disklens.content.ntfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** NTFS: recognised by its boot sector; the label is read from MFT record 3 ({@code $Volume}). */
public final class NtfsType implements FileSystemType {
    static final long VOLUME_RECORD = 3;

    @Override
    public String name() {
        return "ntfs";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        Optional<NtfsBootSector> parsed = NtfsBootSector.parse(head);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        NtfsBootSector boot = parsed.get();
        ClaimedSizes sizes = new ClaimedSizes("ntfs", "boot sector", volume.size());
        return Optional.of(sizes.info(label(boot, volume), "%016X".formatted(boot.serial()),
                sizes.total("sectors", boot.totalSectors(), boot.sectorSize()), OptionalLong.empty()));
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return NtfsFileSystem.open(volume);
    }

    /** The {@code $VOLUME_NAME} attribute of {@code $Volume}: one record read; empty when it cannot be found. */
    private static String label(NtfsBootSector boot, BlockSource volume) throws IOException {
        long recordSize = boot.recordSize();
        long at = boot.mftCluster() * boot.clusterSize() + VOLUME_RECORD * recordSize;
        if (recordSize < 512 || recordSize > 65536 || at < 0 || at + recordSize > volume.size()) {
            return "";
        }
        ByteBuffer bytes = volume.read(at, (int) recordSize, ByteOrder.LITTLE_ENDIAN);
        return MftRecord.parseLeniently(bytes)
                .flatMap(record -> record.residentValue(MftRecord.VOLUME_NAME)).map(MftRecord::utf16).orElse("");
    }
}

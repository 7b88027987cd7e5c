package org.disklens.content.btrfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** Btrfs: recognised by the primary superblock's magic {@code _BHRfS_M} at 64 KiB. */
public final class BtrfsType implements FileSystemType {
    @Override
    public String name() {
        return "btrfs";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        if (head.limit() < BtrfsSuperblock.OFFSET + BtrfsSuperblock.SIZE) {
            return Optional.empty();
        }
        long volumeBytes = volume.size();
        return BtrfsSuperblock.parse(head.position(BtrfsSuperblock.OFFSET)).map(sb -> {
            // A file system over several devices is larger than any one of them: it is checked against the total only.
            ClaimedSizes sizes = new ClaimedSizes("btrfs", "superblock", sb.numDevices() > 1 ? Long.MAX_VALUE : volumeBytes);
            OptionalLong size = sizes.total("bytes", sb.totalBytes(), 1);
            return sizes.info(sb.label(), sb.uuid(), size, sizes.usedBytes(size, sb.bytesUsed()));
        });
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return BtrfsFileSystem.open(volume);
    }
}

package org.disklens.content.btrfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
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
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        if (head.limit() < BtrfsSuperblock.OFFSET + BtrfsSuperblock.SIZE) {
            return Optional.empty();
        }
        return BtrfsSuperblock.parse(head.position(BtrfsSuperblock.OFFSET)).map(sb -> new FileSystemInfo("btrfs",
                sb.label(), sb.uuid(), OptionalLong.of(sb.totalBytes()), OptionalLong.of(sb.bytesUsed())));
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

package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** XFS: recognised by the superblock's magic {@code XFSB} at byte 0. */
public final class XfsType implements FileSystemType {
    @Override
    public String name() {
        return "xfs";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        if (head.limit() < XfsSuperblock.SIZE) {
            return Optional.empty();
        }
        long volumeBytes = volume.size();
        return XfsSuperblock.parse(head).map(sb -> {
            ClaimedSizes sizes = new ClaimedSizes("xfs", "superblock", volumeBytes);
            OptionalLong size = sizes.total("blocks", sb.dataBlocks(), sb.blockSize());
            return sizes.info(sb.label(), sb.uuid(), size,
                    sizes.used(size, "blocks", sb.dataBlocks(), sb.freeDataBlocks(), sb.blockSize()));
        });
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return XfsFileSystem.open(volume);
    }
}

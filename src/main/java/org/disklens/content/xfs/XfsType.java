package org.disklens.content.xfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
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
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        if (head.limit() < XfsSuperblock.SIZE) {
            return Optional.empty();
        }
        return XfsSuperblock.parse(head).map(sb -> new FileSystemInfo("xfs", sb.label(), sb.uuid(),
                OptionalLong.of(sb.dataBlocks() * sb.blockSize()),
                OptionalLong.of((sb.dataBlocks() - sb.freeDataBlocks()) * sb.blockSize())));
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

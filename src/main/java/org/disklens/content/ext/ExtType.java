package org.disklens.content.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.FileSystemInfo;
import org.disklens.content.FileSystemType;
import org.disklens.io.BlockSource;

/** ext2, ext3 and ext4: recognised by the superblock's magic {@code 0xEF53} at byte 1080. */
public final class ExtType implements FileSystemType {
    @Override
    public String name() {
        return "ext";
    }

    @Override
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) {
        if (head.limit() < ExtSuperblock.OFFSET + ExtSuperblock.SIZE) {
            return Optional.empty();
        }
        return ExtSuperblock.parse(head.position(ExtSuperblock.OFFSET)).map(sb -> new FileSystemInfo(sb.type(), sb.label(),
                sb.uuid(), OptionalLong.of(sb.blocksCount() * sb.blockSize()),
                OptionalLong.of((sb.blocksCount() - sb.freeBlocksCount()) * sb.blockSize())));
    }

    @Override
    public boolean browsable() {
        return true;
    }

    @Override
    public FileSystem open(BlockSource volume) throws IOException {
        return ExtFileSystem.open(volume);
    }
}

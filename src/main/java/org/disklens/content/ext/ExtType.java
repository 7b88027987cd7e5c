package org.disklens.content.ext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.disklens.content.FileSystem;
import org.disklens.content.ClaimedSizes;
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
    public Optional<FileSystemInfo> probe(ByteBuffer head, BlockSource volume) throws IOException {
        if (head.limit() < ExtSuperblock.OFFSET + ExtSuperblock.SIZE) {
            return Optional.empty();
        }
        long volumeBytes = volume.size();
        return ExtSuperblock.parse(head.position(ExtSuperblock.OFFSET)).map(sb -> info(sb, volumeBytes));
    }

    /** Sizes from the block counts, unless the block size is not one ext has (its log_block_size is 0 to 6). */
    private static FileSystemInfo info(ExtSuperblock sb, long volumeBytes) {
        ClaimedSizes sizes = new ClaimedSizes(sb.type(), "superblock", volumeBytes);
        if (sb.logBlockSize() < ExtLayout.MIN_LOG_BLOCK_SIZE || sb.logBlockSize() > ExtLayout.MAX_LOG_BLOCK_SIZE) {
            OptionalLong none = sizes.leftOut("log_block_size %d is not 0 to %d (blocks of 1 KiB to 64 KiB)"
                    .formatted(Integer.toUnsignedLong(sb.logBlockSize()), ExtLayout.MAX_LOG_BLOCK_SIZE));
            return sizes.info(sb.label(), sb.uuid(), none, none);
        }
        long blockSize = 1024L << sb.logBlockSize();
        OptionalLong size = sizes.total("blocks", sb.blocksCount(), blockSize);
        return sizes.info(sb.label(), sb.uuid(), size,
                sizes.used(size, "blocks", sb.blocksCount(), sb.freeBlocksCount(), blockSize));
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

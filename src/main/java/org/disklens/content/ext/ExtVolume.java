package org.disklens.content.ext;

import org.disklens.content.Lru;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;
import org.disklens.io.BlockSource;

/**
 * The metadata reads of one ext volume, each checked against the file system's and the volume's size before it is
 * made, cached in bounded LRUs (metadata blocks, parsed extent nodes, group descriptors, 32 KiB chunks of inode
 * tables) and checksummed once when loaded; a checksum mismatch becomes a warning.
 */
final class ExtVolume {
    static final int INODE_CHUNK = 32 * 1024;
    private static final long BLOCK_CACHE_BYTES = 8L << 20;
    private static final long INODE_CACHE_BYTES = 8L << 20;
    private static final long EXTENT_CACHE_BYTES = 4L << 20;
    private static final long DESCRIPTOR_CACHE_BYTES = 2L << 20;

    private final BlockSource source;
    private final long volumeSize;
    private final ExtLayout layout;
    private final Warnings warnings;
    private final Lru<Long, byte[]> blocks = new Lru<>(BLOCK_CACHE_BYTES, bytes -> bytes.length + 64);
    private final Lru<Long, byte[]> inodeChunks = new Lru<>(INODE_CACHE_BYTES, bytes -> bytes.length + 64);
    private final Lru<Long, ExtentNode> extentNodes = new Lru<>(EXTENT_CACHE_BYTES, node -> 64 + 29L * node.entries());
    private final Lru<Long, GroupDescriptor> descriptors = new Lru<>(DESCRIPTOR_CACHE_BYTES, descriptor -> 96);

    ExtVolume(BlockSource source, ExtLayout layout, Warnings warnings) throws IOException {
        this.source = source;
        this.volumeSize = source.size();
        this.layout = layout;
        this.warnings = warnings;
    }

    BlockSource source() {
        return source;
    }

    ExtLayout layout() {
        return layout;
    }

    long size() {
        return volumeSize;
    }

    void warn(String message) {
        warnings.add(message);
    }

    String naming() {
        return layout.naming();
    }

    /** {@code length} bytes at {@code volumeOffset}, uncached, refused when they lie past the volume. */
    ByteBuffer read(long volumeOffset, int length, String what) throws IOException {
        if (volumeOffset < 0 || volumeOffset > volumeSize - length) {
            throw new CorruptImage(naming(), what, volumeOffset,
                    "lies past the end of the volume (0x%x bytes)".formatted(volumeSize));
        }
        return source.read(volumeOffset, length, ByteOrder.LITTLE_ENDIAN);
    }

    /** Checks that {@code count} blocks from {@code block} lie inside the file system. */
    void checkBlocks(long block, long count, String what, long where) throws CorruptImage {
        if (block < 0 || count < 0 || block > layout.blocksCount() - count) {
            throw new CorruptImage(naming(), what, where, "block %s (+%d) is past the end of the file system (%d blocks)"
                    .formatted(Long.toUnsignedString(block), count, layout.blocksCount()));
        }
    }

    /** One metadata block (a descriptor block, an indirect block, a bitmap), cached; never modify it. */
    ByteBuffer block(long block, String what) throws IOException {
        checkBlocks(block, 1, what, -1);
        byte[] bytes = blocks.get(block, () -> read(layout.offsetOf(block), layout.blockSize(), what).array());
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The descriptor of block group {@code group}, wherever meta_bg puts it. */
    GroupDescriptor descriptor(long group) throws IOException {
        if (group < 0 || group >= layout.groups()) {
            throw new CorruptImage(naming(), "group descriptor " + group, -1,
                    "there are only %d groups".formatted(layout.groups()));
        }
        return descriptors.get(group, () -> loadDescriptor(group));
    }

    private GroupDescriptor loadDescriptor(long group) throws IOException {
        long descriptorBlock = layout.descriptorBlock(group / layout.descriptorsPerBlock());
        ByteBuffer bytes = block(descriptorBlock, "group descriptor block of group " + group);
        int at = (int) (group % layout.descriptorsPerBlock()) * layout.descriptorSize();
        GroupDescriptor descriptor = GroupDescriptor.parse(bytes.position(at), group, layout);
        if (!descriptor.checksumMatches()) {
            warn("%s: group descriptor %d at 0x%x: checksum mismatch".formatted(naming(), group,
                    layout.offsetOf(descriptorBlock) + at));
        }
        return descriptor;
    }

    /** Inode {@code number}, read through the inode table chunk cache and checksummed. */
    Inode inode(long number) throws IOException {
        long count = layout.superblock().inodesCount();
        if (number < 1 || number > count) {
            throw new CorruptImage(naming(), "inode " + number, -1, "is not between 1 and %d".formatted(count));
        }
        long group = (number - 1) / layout.inodesPerGroup();
        long index = (number - 1) % layout.inodesPerGroup();
        GroupDescriptor descriptor = descriptor(group);
        long tableBytes = layout.inodesPerGroup() * layout.inodeSize();
        long tableBlocks = (tableBytes + layout.blockSize() - 1) / layout.blockSize();
        checkBlocks(descriptor.inodeTable(), tableBlocks, "inode table of group " + group, -1);
        long inTable = index * layout.inodeSize();
        int chunkSize = Math.max(INODE_CHUNK, layout.inodeSize());
        long chunkStart = layout.offsetOf(descriptor.inodeTable()) + inTable / chunkSize * chunkSize;
        long inodeOffset = layout.offsetOf(descriptor.inodeTable()) + inTable;
        if (inodeOffset > volumeSize - layout.inodeSize()) {
            throw new CorruptImage(naming(), "inode " + number, inodeOffset,
                    "lies past the end of the volume (0x%x bytes)".formatted(volumeSize));
        }
        long tableEnd = layout.offsetOf(descriptor.inodeTable()) + tableBytes;
        int chunkLength = (int) Math.min(chunkSize, Math.min(tableEnd, volumeSize) - chunkStart);
        byte[] chunk = inodeChunks.get(chunkStart, () -> read(chunkStart, chunkLength, "inode table of group " + group)
                .array());
        if (inodeOffset - chunkStart + layout.inodeSize() > chunk.length) {
            throw new CorruptImage(naming(), "inode " + number, inodeOffset, "lies past its inode table");
        }
        ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).position((int) (inodeOffset - chunkStart));
        Inode inode = Inode.parse(bytes, number, inodeOffset, layout);
        if (!inode.checksumMatches()) {
            warn("%s: inode %d at 0x%x: checksum mismatch".formatted(naming(), number, inodeOffset));
        }
        return inode;
    }

    /** The extent tree node in {@code block}, expected at {@code depth} below its parent (else the tree loops). */
    ExtentNode extentNode(long block, Inode owner, int depth, long where) throws IOException {
        checkBlocks(block, 1, "extent tree of inode " + owner.number(), where);
        ExtentNode node = extentNodes.get(block, () -> loadExtentNode(block, owner));
        if (node.depth() != depth) {
            throw new CorruptImage(naming(), "extent block of inode " + owner.number(), layout.offsetOf(block),
                    "says depth %d where its parent expects %d (the extent tree loops or is damaged)"
                            .formatted(node.depth(), depth));
        }
        return node;
    }

    private ExtentNode loadExtentNode(long block, Inode owner) throws IOException {
        long offset = layout.offsetOf(block);
        ByteBuffer bytes = read(offset, layout.blockSize(), "extent block of inode " + owner.number());
        ExtentNode.Parsed parsed = ExtentNode.parse(bytes, layout.blockSize());
        if (parsed.node().isEmpty()) {
            throw new CorruptImage(naming(), "extent block of inode " + owner.number(), offset, parsed.problem());
        }
        ExtentNode node = parsed.node().get();
        if (layout.metadataChecksums()) {
            int tail = node.tailOffset();
            int crc = Checksums.crc32c(owner.checksumSeed(), bytes.slice(0, tail));
            if (crc != bytes.getInt(tail)) {
                warn("%s: extent block of inode %d at 0x%x: checksum mismatch".formatted(naming(), owner.number(), offset));
            }
        }
        return node;
    }
}

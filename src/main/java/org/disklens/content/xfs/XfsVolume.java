package org.disklens.content.xfs;

import org.disklens.content.Lru;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.disklens.image.CorruptImage;
import org.disklens.io.BlockSource;

/**
 * The reads of one XFS volume, each checked against the volume's size before it is made, cached in bounded LRUs
 * (16 KiB chunks of inode clusters, parsed bmbt nodes, which AGIs were checked) and checksummed once when loaded; a
 * checksum mismatch becomes a warning.
 */
final class XfsVolume {
    static final int INODE_CHUNK = 16 * 1024;
    private static final long INODE_CACHE_BYTES = 8L << 20;
    private static final long BMBT_CACHE_BYTES = 4L << 20;
    private static final long AGI_CACHE_ENTRIES = 4096;
    static final int AGI_MAGIC = 0x58414749;
    static final int AGI_CRC_OFFSET = 312;

    private final BlockSource source;
    private final long volumeSize;
    private final XfsGeometry geometry;
    private final Warnings warnings;
    private final Lru<Long, byte[]> inodeChunks = new Lru<>(INODE_CACHE_BYTES, bytes -> bytes.length + 64);
    private final Lru<Long, BmbtNode> bmbtNodes = new Lru<>(BMBT_CACHE_BYTES, BmbtNode::weight);
    private final Lru<Long, Boolean> checkedAgis = new Lru<>(AGI_CACHE_ENTRIES, checked -> 1);

    XfsVolume(BlockSource source, XfsGeometry geometry, Warnings warnings) throws IOException {
        this.source = source;
        this.volumeSize = source.size();
        this.geometry = geometry;
        this.warnings = warnings;
    }

    BlockSource source() {
        return source;
    }

    XfsGeometry geometry() {
        return geometry;
    }

    long size() {
        return volumeSize;
    }

    void warn(String message) {
        warnings.add(message);
    }

    /** {@code length} bytes at {@code volumeOffset}, uncached and big-endian, refused when they lie past the volume. */
    ByteBuffer read(long volumeOffset, int length, String what) throws IOException {
        if (volumeOffset < 0 || volumeOffset > volumeSize - length) {
            throw new CorruptImage(XfsGeometry.NAMING, what, volumeOffset,
                    "lies past the end of the volume (0x%x bytes)".formatted(volumeSize));
        }
        return source.read(volumeOffset, length, ByteOrder.BIG_ENDIAN);
    }

    /** Checks a v5 structure's CRC and warns once when it does not match. */
    void verify(ByteBuffer bytes, int crcOffset, int length, String what, long volumeOffset) {
        if (geometry.v5() && !Crc32c.matches(bytes, crcOffset, length)) {
            warn("%s: %s at 0x%x: checksum mismatch".formatted(XfsGeometry.NAMING, what, volumeOffset));
        }
    }

    /** Inode {@code number}, read through the inode chunk cache; its AG's AGI is checked the first time. */
    Inode inode(long number) throws IOException {
        long offset = geometry.inodeOffset(number);
        checkAgi(geometry.agOfInode(number));
        int size = geometry.inodeSize();
        long chunkStart = offset / INODE_CHUNK * INODE_CHUNK;
        if (offset > volumeSize - size) {
            throw new CorruptImage(XfsGeometry.NAMING, "inode " + number, offset,
                    "lies past the end of the volume (0x%x bytes)".formatted(volumeSize));
        }
        int chunkLength = (int) Math.min(INODE_CHUNK, volumeSize - chunkStart);
        byte[] chunk = inodeChunks.get(chunkStart, () -> read(chunkStart, chunkLength, "inode cluster").array());
        Inode inode = Inode.parse(ByteBuffer.wrap(chunk).position((int) (offset - chunkStart)), number, offset, geometry);
        if (!inode.checksumMatches()) {
            warn("%s: inode %d at 0x%x: checksum mismatch".formatted(XfsGeometry.NAMING, number, offset));
        }
        return inode;
    }

    /** The AGI (third sector of each AG): magic, sequence number and checksum, once per AG while cached. */
    private void checkAgi(long agno) throws IOException {
        checkedAgis.get(agno, () -> {
            long offset = geometry.agStartOffset(agno) + 2L * geometry.sectorSize();
            ByteBuffer agi = read(offset, geometry.sectorSize(), "AGI of AG " + agno);
            if (agi.getInt(0) != AGI_MAGIC || Integer.toUnsignedLong(agi.getInt(8)) != agno) {
                warn("%s: AGI of AG %d at 0x%x: no XAGI magic or a wrong AG number".formatted(XfsGeometry.NAMING,
                        agno, offset));
            } else {
                verify(agi, AGI_CRC_OFFSET, geometry.sectorSize(), "AGI of AG " + agno, offset);
            }
            return Boolean.TRUE;
        });
    }

    /** The bmbt block at file-system block {@code fsblock}, expected at {@code level} and owned by inode {@code owner}. */
    BmbtNode bmbtNode(long fsblock, int level, long owner, String what) throws IOException {
        long offset = geometry.offsetOfBlocks(fsblock, 1, what, -1);
        BmbtNode node = bmbtNodes.get(fsblock, () -> loadBmbt(offset, level, owner, what));
        checkLevel(node.level(), level, what, offset);
        return node;
    }

    private static void checkLevel(int actual, int expected, String what, long offset) throws CorruptImage {
        if (actual != expected) {
            throw new CorruptImage(XfsGeometry.NAMING, what, offset,
                    "block at level %d where its parent expects %d (the tree loops or is damaged)".formatted(actual,
                            expected));
        }
    }

    private BmbtNode loadBmbt(long offset, int level, long owner, String what) throws IOException {
        int blockSize = geometry.blockSize();
        ByteBuffer bytes = read(offset, blockSize, what);
        checkLevel(Short.toUnsignedInt(bytes.getShort(4)), level, what, offset);
        BmbtNode node = BmbtNode.parseBlock(bytes, blockSize, geometry.v5(), what, offset);
        if (geometry.v5()) {
            verify(bytes, BmbtNode.CRC_OFFSET, blockSize, what, offset);
            if (bytes.getLong(BmbtNode.OWNER_OFFSET) != owner) {
                warn("%s: %s at 0x%x: the block says it belongs to inode %s".formatted(XfsGeometry.NAMING, what, offset,
                        Long.toUnsignedString(bytes.getLong(BmbtNode.OWNER_OFFSET))));
            }
        }
        return node;
    }
}

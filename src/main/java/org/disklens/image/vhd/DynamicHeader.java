package org.disklens.image.vhd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;

/**
 * The dynamic disk header (VHD specification, "Dynamic Disk Header Format"): 1,024 bytes, big-endian, at the
 * footer's data offset of dynamic and differencing disks.
 * <pre>
 *   0 cookie "cxsparse"   8 data offset (64-bit, unused: all ones)   16 table offset (64-bit): the BAT
 *  24 header version   28 max table entries   32 block size   36 checksum   40 parent unique id (16 bytes)
 *  56 parent time stamp   60 reserved   64 parent unicode name (512 bytes, UTF-16)
 * 576 parent locator entries (8 × 24 bytes)   768 reserved (256 bytes)
 * </pre>
 *
 * @param maxTableEntries entries in the BAT (unsigned)
 * @param blockSize       bytes of guest data per block (unsigned; a power of two; the sector bitmap comes on top)
 * @param parentName      the parent's file name as stored, decoded (UTF-16, the byte order found by looking)
 */
record DynamicHeader(long dataOffset, long tableOffset, int headerVersion, long maxTableEntries, long blockSize,
                     int checksum, UUID parentUuid, long parentTimestamp, String parentName,
                     List<ParentLocator> locators) {
    static final int SIZE = 1024;
    static final int CHECKSUM_OFFSET = 36;
    static final int LOCATORS_OFFSET = 576;
    static final int LOCATOR_COUNT = 8;
    static final long COOKIE = 0x6378737061727365L; // "cxsparse"
    static final int PARENT_NAME_OFFSET = 64;
    static final int PARENT_NAME_BYTES = 512;

    static DynamicHeader parse(ByteBuffer bytes, long hostOffset) throws ImageException {
        ByteBuffer be = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = be.position();
        if (be.remaining() < SIZE || be.getLong(p) != COOKIE) {
            throw new CorruptImage("vpc", "dynamic disk header", hostOffset, "no 'cxsparse' cookie");
        }
        byte[] name = new byte[PARENT_NAME_BYTES];
        be.get(p + PARENT_NAME_OFFSET, name);
        List<ParentLocator> locators = new ArrayList<>(LOCATOR_COUNT);
        for (int i = 0; i < LOCATOR_COUNT; i++) {
            locators.add(ParentLocator.parse(be.slice(p + LOCATORS_OFFSET + i * ParentLocator.SIZE, ParentLocator.SIZE)));
        }
        return new DynamicHeader(be.getLong(p + 8), be.getLong(p + 16), be.getInt(p + 24),
                Integer.toUnsignedLong(be.getInt(p + 28)), Integer.toUnsignedLong(be.getInt(p + 32)),
                be.getInt(p + CHECKSUM_OFFSET), new UUID(be.getLong(p + 40), be.getLong(p + 48)),
                Integer.toUnsignedLong(be.getInt(p + 56)), ParentLocator.utf16(name, name.length), List.copyOf(locators));
    }

    /** The header's 1,024 bytes, its checksum computed; the parent name is written as UTF-16 big-endian. */
    ByteBuffer encode() {
        ByteBuffer be = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        be.putLong(0, COOKIE).putLong(8, dataOffset).putLong(16, tableOffset).putInt(24, headerVersion)
                .putInt(28, (int) maxTableEntries).putInt(32, (int) blockSize)
                .putLong(40, parentUuid.getMostSignificantBits()).putLong(48, parentUuid.getLeastSignificantBits())
                .putInt(56, (int) parentTimestamp);
        for (int i = 0; i < parentName.length() && i < PARENT_NAME_BYTES / 2; i++) {
            be.putChar(PARENT_NAME_OFFSET + 2 * i, parentName.charAt(i));
        }
        for (int i = 0; i < locators.size() && i < LOCATOR_COUNT; i++) {
            locators.get(i).encodeInto(be, LOCATORS_OFFSET + i * ParentLocator.SIZE);
        }
        be.putInt(CHECKSUM_OFFSET, VhdFooter.checksum(be, SIZE, CHECKSUM_OFFSET));
        return be;
    }

    /** Bytes of the sector bitmap before each block: a bit per sector, rounded up to whole sectors. */
    long bitmapBytes() {
        return Math.ceilDiv(blockSize / (8 * 512), 512) * 512;
    }
}

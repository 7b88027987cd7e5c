package org.disklens.image.vhdx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;
import org.disklens.io.BlockSource;

/**
 * The metadata region: a 64 KiB table ({@code metadata}, up to 2047 entries) and the items it points at, and the
 * known items decoded.
 *
 * <pre>
 * table header (32 bytes):  0 signature "metadata"   8 reserved   10 entry count   12 reserved
 * entry (32 bytes):  0 item GUID   16 offset (from the region's start, &ge; 64 KiB; 0 when empty)   20 length (&le; 1 MiB)
 *                    24 bit 0 IsUser, bit 1 IsVirtualDisk, bit 2 IsRequired
 * items:  file parameters (block size u32; bit 0 leave blocks allocated, bit 1 has parent), virtual disk size (u64),
 *         virtual disk ID (page 83 data, a GUID), logical sector size (u32), physical sector size (u32), parent locator
 * </pre>
 */
record VhdxMetadata(long regionOffset, List<Item> items, long blockSize, boolean leaveBlocksAllocated, boolean hasParent,
                    long virtualSize, int logicalSectorSize, int physicalSectorSize, Guid diskId,
                    Optional<ParentLocator> parentLocator) {
    static final long SIGNATURE = 0x617461646174656dL; // "metadata"
    static final int TABLE_SIZE = 64 * 1024;
    static final int MAX_ENTRIES = 2047;
    static final int MAX_ITEM_LENGTH = 1 << 20;
    static final long MIN_BLOCK_SIZE = 1 << 20;
    static final long MAX_BLOCK_SIZE = 256 << 20;
    static final long MAX_VIRTUAL_SIZE = 64L << 40;

    static final Guid FILE_PARAMETERS = Guid.fromText("CAA16737-FA36-4D43-B3B6-33F0AA44E76B");
    static final Guid VIRTUAL_DISK_SIZE = Guid.fromText("2FA54224-CD1B-4876-B211-5DBED83BF4B8");
    static final Guid VIRTUAL_DISK_ID = Guid.fromText("BECA12AB-B2E6-4523-93EF-C309E000C746");
    static final Guid LOGICAL_SECTOR_SIZE = Guid.fromText("8141BF1D-A96F-4709-BA47-F233A8FAAB5F");
    static final Guid PHYSICAL_SECTOR_SIZE = Guid.fromText("CDA348C7-445D-4471-9CC9-E9885251C556");
    static final Guid PARENT_LOCATOR = Guid.fromText("A8D35F2D-B30B-454D-ABF7-D3D84834AB0C");
    private static final List<Guid> KNOWN = List.of(FILE_PARAMETERS, VIRTUAL_DISK_SIZE, VIRTUAL_DISK_ID,
            LOGICAL_SECTOR_SIZE, PHYSICAL_SECTOR_SIZE, PARENT_LOCATOR);

    record Item(Guid guid, long offset, long length, boolean user, boolean virtualDisk, boolean required) {
        String name() {
            int known = KNOWN.indexOf(guid);
            return known < 0 ? "item " + guid.braced() : List.of("file parameters", "virtual disk size",
                    "virtual disk ID", "logical sector size", "physical sector size", "parent locator").get(known);
        }
    }

    /** Parses the table (its 64 KiB) into entries, validated against the region's length. */
    static List<Item> parseTable(ByteBuffer table, long regionOffset, long regionLength) throws ImageException {
        ByteBuffer bytes = table.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.getLong(0) != SIGNATURE) {
            throw new CorruptImage("vhdx", "metadata table", regionOffset, "no 'metadata' signature");
        }
        int count = Short.toUnsignedInt(bytes.getShort(10));
        if (count > MAX_ENTRIES) {
            throw new CorruptImage("vhdx", "metadata table", regionOffset,
                    "%d entries (at most %d are allowed)".formatted(count, MAX_ENTRIES));
        }
        List<Item> items = new ArrayList<>();
        Set<Guid> system = new HashSet<>();
        Set<Guid> user = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int at = 32 + i * 32;
            int flags = bytes.getInt(at + 24);
            Item item = new Item(Guid.parse(bytes, at), Integer.toUnsignedLong(bytes.getInt(at + 16)),
                    Integer.toUnsignedLong(bytes.getInt(at + 20)), (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
            if (!(item.user() ? user : system).add(item.guid())) {
                throw new CorruptImage("vhdx", "metadata table", regionOffset + at, "duplicate %s entry".formatted(item.name()));
            }
            checkPlace(item, regionOffset + at, regionLength);
            items.add(item);
        }
        return List.copyOf(items);
    }

    private static void checkPlace(Item item, long entryOffset, long regionLength) throws ImageException {
        if (item.length() == 0) {
            return;
        }
        if (item.length() > MAX_ITEM_LENGTH) {
            throw new LimitExceeded("vhdx", "metadata " + item.name(), entryOffset,
                    "length %d exceeds the 1 MiB the spec allows".formatted(item.length()));
        }
        if (item.offset() < TABLE_SIZE || item.offset() + item.length() > regionLength) {
            throw new CorruptImage("vhdx", "metadata " + item.name(), entryOffset,
                    "%d bytes at offset %d lie outside the metadata region (64 KiB to %d)".formatted(item.length(),
                            item.offset(), regionLength));
        }
    }

    /** Reads the table and the known items from {@code file}; refuses what the spec says a reader must refuse. */
    static VhdxMetadata read(BlockSource file, long regionOffset, long regionLength) throws IOException {
        if (regionLength < TABLE_SIZE) {
            throw new CorruptImage("vhdx", "metadata region", regionOffset, "%d bytes are too short for its table"
                    .formatted(regionLength));
        }
        List<Item> items = parseTable(file.read(regionOffset, TABLE_SIZE, ByteOrder.LITTLE_ENDIAN), regionOffset, regionLength);
        for (Item item : items) {
            if (item.required() && !item.user() && !KNOWN.contains(item.guid())) {
                throw new UnsupportedFeature("vhdx", "metadata table", regionOffset,
                        "required metadata %s is unknown".formatted(item.name()));
            }
        }
        ByteBuffer parameters = item(file, regionOffset, items, FILE_PARAMETERS, 8);
        long blockSize = Integer.toUnsignedLong(parameters.getInt(0));
        int bits = parameters.getInt(4);
        boolean hasParent = (bits & 2) != 0;
        long virtualSize = item(file, regionOffset, items, VIRTUAL_DISK_SIZE, 8).getLong(0);
        Guid diskId = Guid.parse(item(file, regionOffset, items, VIRTUAL_DISK_ID, 16), 0);
        int logical = item(file, regionOffset, items, LOGICAL_SECTOR_SIZE, 4).getInt(0);
        int physical = item(file, regionOffset, items, PHYSICAL_SECTOR_SIZE, 4).getInt(0);
        long itemsAt = regionOffset;
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Long.bitCount(blockSize) != 1) {
            throw new CorruptImage("vhdx", "metadata file parameters", itemsAt,
                    "block size %d is not a power of two from 1 MiB to 256 MiB".formatted(blockSize));
        }
        if (logical != 512 && logical != 4096) {
            throw new CorruptImage("vhdx", "metadata logical sector size", itemsAt,
                    "%d bytes (512 or 4096 are allowed)".formatted(Integer.toUnsignedLong(logical)));
        }
        if (virtualSize < 0 || virtualSize > MAX_VIRTUAL_SIZE) {
            throw new LimitExceeded("vhdx", "metadata virtual disk size", itemsAt,
                    "%s bytes exceed the 64 TiB the spec allows".formatted(Long.toUnsignedString(virtualSize)));
        }
        if (virtualSize % logical != 0) {
            throw new CorruptImage("vhdx", "metadata virtual disk size", itemsAt,
                    "%d bytes are not a whole number of %d-byte sectors".formatted(virtualSize, logical));
        }
        Optional<ParentLocator> locator = Optional.empty();
        Optional<Item> locatorItem = items.stream().filter(i -> !i.user() && i.guid().equals(PARENT_LOCATOR)).findFirst();
        if (hasParent) {
            if (locatorItem.isEmpty()) {
                throw new CorruptImage("vhdx", "metadata table", regionOffset, "a differencing disk without a parent locator");
            }
            Item found = locatorItem.get();
            ByteBuffer bytes = file.read(regionOffset + found.offset(), (int) found.length(), ByteOrder.LITTLE_ENDIAN);
            ParentLocator parsed = ParentLocator.parse(bytes, regionOffset + found.offset());
            if (!parsed.type().equals(ParentLocator.VHDX_TYPE)) {
                throw new UnsupportedFeature("vhdx", "parent locator", regionOffset + found.offset(),
                        "parent type %s is not a VHDX".formatted(parsed.type().braced()));
            }
            locator = Optional.of(parsed);
        }
        return new VhdxMetadata(regionOffset, items, blockSize, (bits & 1) != 0, hasParent, virtualSize, logical, physical,
                diskId, locator);
    }

    private static ByteBuffer item(BlockSource file, long regionOffset, List<Item> items, Guid guid, int size)
            throws IOException {
        for (Item item : items) {
            if (!item.user() && item.guid().equals(guid)) {
                if (item.length() < size) {
                    throw new CorruptImage("vhdx", "metadata " + item.name(), regionOffset + item.offset(),
                            "%d bytes are too short (it takes %d)".formatted(item.length(), size));
                }
                return file.read(regionOffset + item.offset(), size, ByteOrder.LITTLE_ENDIAN);
            }
        }
        Item missing = new Item(guid, 0, 0, false, false, true);
        throw new CorruptImage("vhdx", "metadata table", regionOffset, "the required %s item is missing".formatted(missing.name()));
    }

    /** Payload blocks per sector bitmap block: 2^23 sectors' worth of payload. */
    long chunkRatio() {
        return (1L << 23) * logicalSectorSize / blockSize;
    }

    long payloadBlocks() {
        return Math.ceilDiv(virtualSize, blockSize);
    }

    /** BAT entries the disk needs (qemu's and the spec's formulas; a differencing disk ends with a bitmap entry). */
    long batEntries() {
        long blocks = payloadBlocks();
        if (hasParent) {
            return Math.ceilDiv(blocks, chunkRatio()) * (chunkRatio() + 1);
        }
        return blocks == 0 ? 0 : blocks + (blocks - 1) / chunkRatio();
    }
}

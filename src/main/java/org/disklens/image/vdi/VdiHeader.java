package org.disklens.image.vdi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;
import org.disklens.image.UnsupportedFeature;

/**
 * The pre-header and header of a VDI file (VirtualBox's {@code VDIPREHEADER} and {@code VDIHEADER0},
 * {@code VDIHEADER1}, {@code VDIHEADER1PLUS}), little-endian, normalised to one record: a version 0 header has no
 * size, offsets (they follow from its layout), block extra data, parent modification UUID or LCHS geometry.
 *
 * @param text                "<<< Oracle VM VirtualBox Disk Image >>>\n" or another tool's text, for eyes only
 * @param headerSize          {@code cbHeader} (version 1; 0 for version 0)
 * @param blocksOffset        where the block map starts in the file
 * @param dataOffset          where the data area starts in the file
 * @param diskSize            {@code cbDisk} as stored (not rounded)
 * @param blockExtra          bytes of per-block service data stored before each block's data
 * @param lchsGeometry        the logical geometry of a 1.1+ header ({@code cbHeader >= 400}), absent before
 */
record VdiHeader(String text, int signature, int version, int headerSize, int type, int flags, String comment,
                 long blocksOffset, long dataOffset, Geometry legacyGeometry, int dummy, long diskSize,
                 long blockSize, long blockExtra, long blocks, long blocksAllocated, UUID image, UUID modification,
                 UUID link, UUID parentModification, Optional<Geometry> lchsGeometry) {

    static final int SIGNATURE = 0xbeda107f;
    static final int VERSION_1_1 = 0x00010001;
    static final String ORACLE_TEXT = "<<< Oracle VM VirtualBox Disk Image >>>\n";
    static final int PRE_HEADER_SIZE = 72;
    static final int TEXT_SIZE = 64;
    static final int COMMENT_SIZE = 256;
    /** {@code sizeof(VDIHEADER1)}, {@code sizeof(VDIHEADER1PLUS)}, {@code sizeof(VDIHEADER0)}. */
    static final int HEADER1_SIZE = 0x180;
    static final int HEADER1_PLUS_SIZE = 0x190;
    static final int HEADER0_SIZE = 348;
    /** The bytes read to parse any header: the first sector. */
    static final int READ_SIZE = 512;

    static final int TYPE_DYNAMIC = 1;
    static final int TYPE_STATIC = 2;
    static final int TYPE_UNDO = 3;
    static final int TYPE_DIFFERENCING = 4;

    /** qemu's {@code VDI_BLOCKS_IN_IMAGE_MAX}: a block map that still fits in 2 GiB read at once. */
    static final long MAX_BLOCKS = 0x1fffff80L;
    /** Block sizes DiskLens reads (VirtualBox takes any power of two; qemu only 1 MiB). */
    static final long MIN_BLOCK_SIZE = 512;
    static final long MAX_BLOCK_SIZE = 256L << 20;
    static final long DEFAULT_BLOCK_SIZE = 1L << 20;

    /** A CHS geometry and its sector size ({@code VDIDISKGEOMETRY}). */
    record Geometry(long cylinders, long heads, long sectors, long sectorSize) {
        static Geometry parse(ByteBuffer bytes, int at) {
            return new Geometry(u32(bytes, at), u32(bytes, at + 4), u32(bytes, at + 8), u32(bytes, at + 12));
        }

        void encode(ByteBuffer bytes, int at) {
            bytes.putInt(at, (int) cylinders).putInt(at + 4, (int) heads).putInt(at + 8, (int) sectors)
                    .putInt(at + 12, (int) sectorSize);
        }

        /** Geometry "not calculated": zeroes and 512-byte sectors, as VirtualBox and qemu write it. */
        static Geometry none() {
            return new Geometry(0, 0, 0, 512);
        }

        @Override
        public String toString() {
            return "%d/%d/%d, %d-byte sectors".formatted(cylinders, heads, sectors, sectorSize);
        }
    }

    int major() {
        return version >>> 16;
    }

    int minor() {
        return version & 0xffff;
    }

    /** Differencing and undo images take unallocated blocks from their parent. */
    boolean hasParent() {
        return type == TYPE_DIFFERENCING || type == TYPE_UNDO;
    }

    /** Where the header's known fields end: the block map may not start before. */
    long headerEnd() {
        if (major() == 0) {
            return PRE_HEADER_SIZE + HEADER0_SIZE;
        }
        return PRE_HEADER_SIZE + (lchsGeometry.isPresent() ? HEADER1_PLUS_SIZE : HEADER1_SIZE);
    }

    /** A block and its extra data, as laid end to end in the data area. */
    long slotSize() {
        return blockSize + blockExtra;
    }

    /** The guest-visible size: {@code cbDisk} rounded up to whole sectors, as qemu rounds it. */
    long virtualSize() {
        return Math.ceilDiv(diskSize, 512) * 512;
    }

    /** Reads the first sector (or what the file has of it); checks signature and version only. */
    static VdiHeader parse(ByteBuffer source) throws ImageException {
        ByteBuffer bytes = source.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.remaining() < PRE_HEADER_SIZE) {
            throw new CorruptImage("vdi", "pre-header", 0, "the file ends inside the pre-header (%d bytes)"
                    .formatted(bytes.remaining()));
        }
        bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        int signature = bytes.getInt(64);
        if (signature != SIGNATURE) {
            throw new CorruptImage("vdi", "pre-header", 64, "bad signature 0x%08x (a VDI has 0x%08x)"
                    .formatted(signature, SIGNATURE));
        }
        int version = bytes.getInt(68);
        int major = version >>> 16;
        if (major > 1) {
            throw new UnsupportedFeature("vdi", "pre-header", 68, "unsupported VDI image (version %d.%d)"
                    .formatted(major, version & 0xffff));
        }
        String text = cString(bytes, 0, TEXT_SIZE);
        return major == 0 ? parseVersion0(bytes, text, signature, version)
                : parseVersion1(bytes, text, signature, version);
    }

    private static VdiHeader parseVersion1(ByteBuffer bytes, String text, int signature, int version)
            throws ImageException {
        requireBytes(bytes, PRE_HEADER_SIZE + HEADER1_SIZE, "header");
        int headerSize = bytes.getInt(72);
        Optional<Geometry> lchs = Integer.compareUnsigned(headerSize, HEADER1_PLUS_SIZE) >= 0
                && bytes.remaining() >= PRE_HEADER_SIZE + HEADER1_PLUS_SIZE
                ? Optional.of(Geometry.parse(bytes, 456)) : Optional.empty();
        return new VdiHeader(text, signature, version, headerSize, bytes.getInt(76), bytes.getInt(80),
                cString(bytes, 84, COMMENT_SIZE), u32(bytes, 340), u32(bytes, 344), Geometry.parse(bytes, 348),
                bytes.getInt(364), bytes.getLong(368), u32(bytes, 376), u32(bytes, 380), u32(bytes, 384),
                u32(bytes, 388), uuid(bytes, 392), uuid(bytes, 408), uuid(bytes, 424), uuid(bytes, 440), lchs);
    }

    /** Version 0: no offsets; the block map follows the header, the data follows the map. */
    private static VdiHeader parseVersion0(ByteBuffer bytes, String text, int signature, int version)
            throws ImageException {
        requireBytes(bytes, PRE_HEADER_SIZE + HEADER0_SIZE, "header");
        long blocks = u32(bytes, 364);
        long blocksOffset = PRE_HEADER_SIZE + HEADER0_SIZE;
        return new VdiHeader(text, signature, version, 0, bytes.getInt(72), bytes.getInt(76),
                cString(bytes, 80, COMMENT_SIZE), blocksOffset, blocksOffset + blocks * 4, Geometry.parse(bytes, 336),
                0, bytes.getLong(352), u32(bytes, 360), 0, blocks, u32(bytes, 368), uuid(bytes, 372),
                uuid(bytes, 388), uuid(bytes, 404), new UUID(0, 0), Optional.empty());
    }

    /**
     * Checks what the reader relies on, against the file's size: type, block size, block count, disk size, and a
     * block map inside the file between the header and the data area.
     */
    void validate(long fileSize) throws ImageException {
        if (type < TYPE_DYNAMIC || type > TYPE_DIFFERENCING) {
            throw new UnsupportedFeature("vdi", "header", typeOffset(), ("image type %d is not one VirtualBox "
                    + "defines (1 dynamic, 2 static, 3 undo, 4 differencing)").formatted(Integer.toUnsignedLong(type)));
        }
        if (Long.bitCount(blockSize) != 1 || blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
            throw new UnsupportedFeature("vdi", "header", blockSizeOffset(),
                    "unsupported VDI image (block size %d is not a power of two from 512 B to 256 MiB)".formatted(blockSize));
        }
        if (blockExtra != 0 && (Long.bitCount(blockExtra) != 1 || blockExtra > MAX_BLOCK_SIZE)) {
            throw new UnsupportedFeature("vdi", "header", 380,
                    "block extra data of %d bytes is not a power of two up to 256 MiB".formatted(blockExtra));
        }
        if (blocks > MAX_BLOCKS) {
            throw new LimitExceeded("vdi", "header", blocksCountOffset(),
                    "unsupported VDI image (too many blocks %d, max is %d)".formatted(blocks, MAX_BLOCKS));
        }
        long room = blocks * blockSize;
        if (diskSize < 0 || diskSize > room) {
            throw new CorruptImage("vdi", "header", diskSizeOffset(),
                    "unsupported VDI image (disk size %s, image bitmap has room for %d)"
                            .formatted(Long.toUnsignedString(diskSize), room));
        }
        if (blocksOffset < headerEnd()) {
            throw new CorruptImage("vdi", "header", major() == 0 ? -1 : 340,
                    "the block map at 0x%x overlaps the header, which ends at 0x%x".formatted(blocksOffset, headerEnd()));
        }
        if (dataOffset < blocksOffset + blocks * 4) {
            throw new CorruptImage("vdi", "header", major() == 0 ? -1 : 344,
                    "the data area at 0x%x overlaps the block map (0x%x + %d entries)"
                            .formatted(dataOffset, blocksOffset, blocks));
        }
        if (blocksOffset + blocks * 4 > fileSize) {
            throw new CorruptImage("vdi", "block map", blocksOffset,
                    "%d entries run past the end of the file (0x%x)".formatted(blocks, fileSize));
        }
    }

    /** The version 1.1 header DiskLens writes: VirtualBox's layout and text, qemu's offsets and 1 MiB blocks. */
    static VdiHeader ofNewImage(int type, long diskSize, long blocks, long blocksAllocated, long blocksOffset,
                                long dataOffset) {
        return new VdiHeader(ORACLE_TEXT, SIGNATURE, VERSION_1_1, HEADER1_PLUS_SIZE, type, 0, "", blocksOffset,
                dataOffset, Geometry.none(), 0, diskSize, DEFAULT_BLOCK_SIZE, 0, blocks, blocksAllocated,
                UUID.randomUUID(), UUID.randomUUID(), new UUID(0, 0), new UUID(0, 0), Optional.of(Geometry.none()));
    }

    VdiHeader withBlocksAllocated(long allocated) {
        return new VdiHeader(text, signature, version, headerSize, type, flags, comment, blocksOffset, dataOffset,
                legacyGeometry, dummy, diskSize, blockSize, blockExtra, blocks, allocated, image, modification, link,
                parentModification, lchsGeometry);
    }

    /** The first sector of a version 1 image with this header (pre-header, header, zero padding). */
    ByteBuffer encode() {
        if (major() != 1) {
            throw new IllegalStateException("DiskLens writes version 1 headers only");
        }
        ByteBuffer bytes = ByteBuffer.allocate(READ_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        putCString(bytes, 0, text, TEXT_SIZE);
        bytes.putInt(64, signature).putInt(68, version).putInt(72, headerSize).putInt(76, type).putInt(80, flags);
        putCString(bytes, 84, comment, COMMENT_SIZE);
        bytes.putInt(340, (int) blocksOffset).putInt(344, (int) dataOffset);
        legacyGeometry.encode(bytes, 348);
        bytes.putInt(364, dummy).putLong(368, diskSize).putInt(376, (int) blockSize).putInt(380, (int) blockExtra)
                .putInt(384, (int) blocks).putInt(388, (int) blocksAllocated);
        putUuid(bytes, 392, image);
        putUuid(bytes, 408, modification);
        putUuid(bytes, 424, link);
        putUuid(bytes, 440, parentModification);
        lchsGeometry.ifPresent(geometry -> geometry.encode(bytes, 456));
        return bytes;
    }

    // ---- where fields live (version 0 and 1 differ) ----

    int typeOffset() {
        return major() == 0 ? 72 : 76;
    }

    int blockSizeOffset() {
        return major() == 0 ? 360 : 376;
    }

    int blocksCountOffset() {
        return major() == 0 ? 364 : 384;
    }

    int diskSizeOffset() {
        return major() == 0 ? 352 : 368;
    }

    // ---- little-endian helpers ----

    private static void requireBytes(ByteBuffer bytes, int needed, String what) throws CorruptImage {
        if (bytes.remaining() < needed) {
            throw new CorruptImage("vdi", what, PRE_HEADER_SIZE, "the file ends inside the %s (%d of %d bytes)"
                    .formatted(what, bytes.remaining(), needed));
        }
    }

    static long u32(ByteBuffer bytes, int at) {
        return Integer.toUnsignedLong(bytes.getInt(at));
    }

    /** An RTUUID: its first three fields little-endian (as Microsoft GUIDs), the last eight bytes as they are. */
    static UUID uuid(ByteBuffer bytes, int at) {
        long timeLow = Integer.toUnsignedLong(bytes.getInt(at));
        long timeMid = Short.toUnsignedLong(bytes.getShort(at + 4));
        long timeHigh = Short.toUnsignedLong(bytes.getShort(at + 6));
        long low = bytes.duplicate().order(ByteOrder.BIG_ENDIAN).getLong(at + 8);
        return new UUID(timeLow << 32 | timeMid << 16 | timeHigh, low);
    }

    static void putUuid(ByteBuffer bytes, int at, UUID uuid) {
        long high = uuid.getMostSignificantBits();
        bytes.putInt(at, (int) (high >>> 32)).putShort(at + 4, (short) (high >>> 16)).putShort(at + 6, (short) high);
        bytes.duplicate().order(ByteOrder.BIG_ENDIAN).putLong(at + 8, uuid.getLeastSignificantBits());
    }

    static boolean isNull(UUID uuid) {
        return uuid.getMostSignificantBits() == 0 && uuid.getLeastSignificantBits() == 0;
    }

    /** A NUL-terminated UTF-8 string in a fixed field (the whole field when it has no NUL). */
    private static String cString(ByteBuffer bytes, int at, int size) {
        int length = 0;
        while (length < size && bytes.get(at + length) != 0) {
            length++;
        }
        byte[] text = new byte[length];
        bytes.get(at, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    private static void putCString(ByteBuffer bytes, int at, String text, int size) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        bytes.put(at, encoded, 0, Math.min(encoded.length, size - 1));
    }
}

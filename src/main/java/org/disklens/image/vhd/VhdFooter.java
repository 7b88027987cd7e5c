package org.disklens.image.vhd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.image.LimitExceeded;

/**
 * The hard disk footer (VHD specification, "Hard Disk Footer Format"): 512 bytes, big-endian, at the end of every
 * VHD and, for dynamic and differencing disks, copied at offset 0.
 * <pre>
 *  0 cookie "conectix"   8 features   12 file format version   16 data offset (64-bit)   24 time stamp
 * 28 creator application   32 creator version   36 creator host OS   40 original size (64-bit)
 * 48 current size (64-bit)   56 cylinders (16-bit)   58 heads (8-bit)   59 sectors per track (8-bit)
 * 60 disk type   64 checksum   68 unique id (16 bytes)   84 saved state (8-bit)   85 reserved (427 bytes)
 * </pre>
 *
 * @param creatorApp the four bytes of the creator application as a big-endian int ({@code "qemu"}, {@code "win "})
 * @param creatorOs  the four bytes of the creator host OS ({@code "Wi2k"}, {@code "Mac "})
 * @param checksum   as stored: the ones' complement of the byte sum of the footer with this field zeroed
 */
public record VhdFooter(int features, int formatVersion, long dataOffset, long timestamp, int creatorApp,
                        int creatorVersion, int creatorOs, long originalSize, long currentSize, int cylinders,
                        int heads, int sectorsPerTrack, int diskType, int checksum, UUID uniqueId, int savedState) {
    static final int SIZE = 512;
    static final int CHECKSUM_OFFSET = 64;
    static final long COOKIE = 0x636f6e6563746978L; // "conectix"
    static final int FEATURE_TEMPORARY = 1;
    static final int FEATURE_RESERVED = 2;
    static final int VERSION_1_0 = 0x00010000;
    static final int TYPE_FIXED = 2;
    static final int TYPE_DYNAMIC = 3;
    static final int TYPE_DIFFERENCING = 4;
    /** What fixed disks store as their data offset (qemu writes all 64 bits set, as Microsoft's tools expect). */
    static final long NO_DATA_OFFSET = -1L;
    /** Seconds from the Unix epoch to 2000-01-01 00:00:00 UTC, where VHD time stamps count from. */
    static final long VHD_EPOCH = 946_684_800L;

    /** qemu's {@code VHD_CHS_MAX_C * VHD_CHS_MAX_H * VHD_CHS_MAX_S}: the largest geometry, 65535 × 16 × 255. */
    static final long MAX_GEOMETRY_SECTORS = 65535L * 16 * 255;
    /** qemu's {@code VHD_MAX_SECTORS}: disks up to 2040 GiB. */
    static final long MAX_SECTORS = 0xff000000L;

    /**
     * Creator applications whose disks qemu sizes by the footer's current size rather than by the CHS geometry
     * (qemu 7.2 {@code vpc_open}): Hyper-V ({@code "win "}), qemu with force_size ({@code "qem2"}), Disk2vhd
     * ({@code "d2v "}), XenConverter ({@code "CTXS"}) and XenServer ({@code "tap\0"}). Compared on all four bytes,
     * as qemu's {@code strncmp}/{@code memcmp} do: a Disk2vhd image that writes {@code "d2v\0"} is sized by CHS.
     */
    static final Set<Integer> CURRENT_SIZE_CREATORS = Set.of(fourCc("win "), fourCc("qem2"), fourCc("d2v "),
            fourCc("CTXS"), fourCc("tap\0"));

    /**
     * The footer qemu writes for a new disk ({@code vpc_co_create}): creator {@code "qemu"} version 5.3 (Virtual PC
     * 2007) on {@code "Wi2k"}, or {@code "qem2"} with force_size; original and current size the disk's size; the
     * data offset 512 for a dynamic disk, all ones for a fixed one; a random unique id.
     */
    static VhdFooter forNewDisk(Geometry.Sizing sizing, int diskType, boolean forceSize) {
        Geometry geometry = sizing.geometry();
        long seconds = java.time.Instant.now().getEpochSecond() - VHD_EPOCH;
        return new VhdFooter(FEATURE_RESERVED, VERSION_1_0, diskType == TYPE_FIXED ? NO_DATA_OFFSET : SIZE,
                seconds & 0xffffffffL, fourCc(forceSize ? "qem2" : "qemu"), 0x00050003, fourCc("Wi2k"), sizing.bytes(),
                sizing.bytes(), geometry.cylinders(), geometry.heads(), geometry.sectorsPerTrack(), diskType, 0,
                UUID.randomUUID(), 0);
    }

    static VhdFooter parse(ByteBuffer bytes, long hostOffset) throws ImageException {
        ByteBuffer be = bytes.duplicate().order(ByteOrder.BIG_ENDIAN);
        if (be.remaining() < SIZE || !hasCookie(be)) {
            throw new CorruptImage("vpc", "footer", hostOffset, "no 'conectix' cookie");
        }
        int p = be.position();
        long msb = be.getLong(p + 68);
        long lsb = be.getLong(p + 76);
        return new VhdFooter(be.getInt(p + 8), be.getInt(p + 12), be.getLong(p + 16),
                Integer.toUnsignedLong(be.getInt(p + 24)), be.getInt(p + 28), be.getInt(p + 32), be.getInt(p + 36),
                be.getLong(p + 40), be.getLong(p + 48), Short.toUnsignedInt(be.getShort(p + 56)),
                Byte.toUnsignedInt(be.get(p + 58)), Byte.toUnsignedInt(be.get(p + 59)), be.getInt(p + 60),
                be.getInt(p + 64), new UUID(msb, lsb), Byte.toUnsignedInt(be.get(p + 84)));
    }

    /** Whether the 512 bytes from {@code bytes}' position start with {@code "conectix"}. */
    static boolean hasCookie(ByteBuffer bytes) {
        return bytes.remaining() >= 8 && bytes.order(ByteOrder.BIG_ENDIAN).getLong(bytes.position()) == COOKIE;
    }

    /** The ones' complement of the byte sum of {@code length} bytes, the 4-byte field at {@code checksumOffset} as zero. */
    static int checksum(ByteBuffer bytes, int length, int checksumOffset) {
        int sum = 0;
        int start = bytes.position();
        for (int i = 0; i < length; i++) {
            if (i < checksumOffset || i >= checksumOffset + 4) {
                sum += Byte.toUnsignedInt(bytes.get(start + i));
            }
        }
        return ~sum;
    }

    /** The footer's 512 bytes, its checksum computed (the stored {@link #checksum} is ignored). */
    ByteBuffer encode() {
        ByteBuffer be = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        be.putLong(0, COOKIE).putInt(8, features).putInt(12, formatVersion).putLong(16, dataOffset)
                .putInt(24, (int) timestamp).putInt(28, creatorApp).putInt(32, creatorVersion).putInt(36, creatorOs)
                .putLong(40, originalSize).putLong(48, currentSize).putShort(56, (short) cylinders)
                .put(58, (byte) heads).put(59, (byte) sectorsPerTrack).putInt(60, diskType)
                .putLong(68, uniqueId.getMostSignificantBits()).putLong(76, uniqueId.getLeastSignificantBits())
                .put(84, (byte) savedState);
        be.putInt(CHECKSUM_OFFSET, checksum(be, SIZE, CHECKSUM_OFFSET));
        return be;
    }

    /** The disk's size in sectors from its geometry alone. */
    long geometrySectors() {
        return (long) cylinders * heads * sectorsPerTrack;
    }

    /**
     * Whether qemu takes the disk's size from {@link #currentSize} rather than from the geometry: for the creators
     * of {@link #CURRENT_SIZE_CREATORS}, and for every disk whose geometry is the largest one (which cannot say more).
     */
    boolean sizedByCurrentSize() {
        return CURRENT_SIZE_CREATORS.contains(creatorApp) || geometrySectors() == MAX_GEOMETRY_SECTORS;
    }

    /** The guest-visible size in bytes as qemu 7.2 decides it, at most 2040 GiB. */
    long virtualSize(long hostOffset) throws LimitExceeded {
        long sectors = sizedByCurrentSize() ? Long.divideUnsigned(currentSize, 512) : geometrySectors();
        if (sectors > MAX_SECTORS) {
            throw new LimitExceeded("vpc", "footer", hostOffset, "a disk of %d sectors is larger than 2040 GiB, the "
                    .formatted(sectors) + "most qemu addresses");
        }
        return sectors * 512;
    }

    boolean fixed() {
        return diskType == TYPE_FIXED;
    }

    boolean differencing() {
        return diskType == TYPE_DIFFERENCING;
    }

    String typeName() {
        return typeName(diskType);
    }

    static String typeName(int diskType) {
        return switch (diskType) {
            case 0 -> "none";
            case TYPE_FIXED -> "fixed";
            case TYPE_DYNAMIC -> "dynamic";
            case TYPE_DIFFERENCING -> "differencing";
            default -> "reserved (%d)".formatted(Integer.toUnsignedLong(diskType));
        };
    }

    String creatorAppText() {
        return fourCcText(creatorApp);
    }

    String creatorOsText() {
        return fourCcText(creatorOs);
    }

    static int fourCc(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).getInt();
    }

    /** Four bytes as text, non-printable bytes as {@code \xNN}. */
    static String fourCcText(int value) {
        StringBuilder text = new StringBuilder();
        for (int shift = 24; shift >= 0; shift -= 8) {
            int b = (value >>> shift) & 0xff;
            text.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : "\\x%02x".formatted(b));
        }
        return text.toString();
    }
}

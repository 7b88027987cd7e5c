package org.disklens.content.iso;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.disklens.content.VolumeRecognition;
import org.disklens.image.CorruptImage;
import org.disklens.image.ImageException;
import org.disklens.io.BlockSource;

/**
 * The volume descriptor set of an ISO 9660 image (ECMA-119 section 8): from sector 16, 2 KiB descriptors
 * up to the terminator — primary, supplementary (Joliet when its escape sequence says UCS-2), boot record
 * (El Torito). Decoded from bytes; {@link #read} does the I/O.
 */
public record VolumeDescriptors(Primary primary, Optional<Primary> joliet, Optional<Long> bootCatalogLba) {
    public static final int SECTOR = VolumeRecognition.SECTOR;
    public static final long FIRST_DESCRIPTOR = VolumeRecognition.FIRST_DESCRIPTOR;
    static final int MAX_DESCRIPTORS = VolumeRecognition.MAX_DESCRIPTORS;
    private static final byte[] STANDARD_ID = "CD001".getBytes(StandardCharsets.US_ASCII);

    /** A primary or supplementary volume descriptor: the fields {@code info} shows and the root directory record. */
    public record Primary(String systemId, String volumeId, String publisherId, long volumeBlocks, int blockSize,
                          Optional<OffsetDateTime> created, DirectoryRecord root, boolean ucs2) {
    }

    public static boolean hasStandardId(ByteBuffer sector) {
        for (int i = 0; i < STANDARD_ID.length; i++) {
            if (sector.get(1 + i) != STANDARD_ID[i]) {
                return false;
            }
        }
        return true;
    }

    public static VolumeDescriptors read(BlockSource source) throws IOException {
        Primary primary = null;
        Primary joliet = null;
        Long bootCatalog = null;
        for (int index = 0; index < MAX_DESCRIPTORS; index++) {
            long at = FIRST_DESCRIPTOR + (long) index * SECTOR;
            if (at + SECTOR > source.size()) {
                break;
            }
            ByteBuffer sector = source.read(at, SECTOR, ByteOrder.LITTLE_ENDIAN);
            if (!hasStandardId(sector)) {
                break;
            }
            int type = Byte.toUnsignedInt(sector.get(0));
            switch (type) {
                case 0 -> bootCatalog = elToritoCatalog(sector).orElse(bootCatalog);
                case 1 -> primary = primary == null ? parse(sector, at, false) : primary;
                case 2 -> joliet = joliet == null && isJoliet(sector) ? parse(sector, at, true) : joliet;
                case 255 -> index = MAX_DESCRIPTORS;
                default -> {
                    // Volume partition descriptors and unknown types carry nothing DiskLens shows.
                }
            }
        }
        if (primary == null) {
            throw new CorruptImage("iso", "volume descriptor set", FIRST_DESCRIPTOR, "no primary volume descriptor");
        }
        return new VolumeDescriptors(primary, Optional.ofNullable(joliet), Optional.ofNullable(bootCatalog));
    }

    static Primary parse(ByteBuffer sector, long hostOffset, boolean ucs2) throws ImageException {
        int blockSize = Short.toUnsignedInt(sector.getShort(128));
        if (blockSize != 512 && blockSize != 1024 && blockSize != 2048) {
            throw new CorruptImage("iso", "volume descriptor", hostOffset, "logical block size %d".formatted(blockSize));
        }
        DirectoryRecord root = DirectoryRecord.parse(sector.slice(156, 34).order(ByteOrder.LITTLE_ENDIAN), hostOffset + 156, ucs2)
                .orElseThrow(() -> new CorruptImage("iso", "volume descriptor", hostOffset, "no root directory record"));
        return new Primary(text(sector, 8, 32, ucs2), text(sector, 40, 32, ucs2), text(sector, 318, 128, ucs2),
                Integer.toUnsignedLong(sector.getInt(80)), blockSize, IsoDate.text(sector, 813), root, ucs2);
    }

    /** Joliet marks its supplementary descriptor with the UCS-2 escape sequences %/@, %/C or %/E. */
    private static boolean isJoliet(ByteBuffer sector) {
        return sector.get(88) == '%' && sector.get(89) == '/'
                && (sector.get(90) == '@' || sector.get(90) == 'C' || sector.get(90) == 'E');
    }

    private static Optional<Long> elToritoCatalog(ByteBuffer sector) {
        String system = new String(bytes(sector, 7, 32), StandardCharsets.US_ASCII);
        if (!system.startsWith("EL TORITO SPECIFICATION")) {
            return Optional.empty();
        }
        return Optional.of(Integer.toUnsignedLong(sector.getInt(71)));
    }

    static String text(ByteBuffer sector, int at, int length, boolean ucs2) {
        byte[] raw = bytes(sector, at, length);
        String value = ucs2 ? new String(raw, 0, length & ~1, StandardCharsets.UTF_16BE) : new String(raw, StandardCharsets.ISO_8859_1);
        return value.replace('\0', ' ').strip();
    }

    private static byte[] bytes(ByteBuffer sector, int at, int length) {
        byte[] raw = new byte[length];
        sector.get(at, raw);
        return raw;
    }

    /** Lists which naming extensions are present, for {@code info}: joliet, rock-ridge, udf. */
    public List<String> extensions(boolean rockRidge, boolean udf) {
        List<String> names = new ArrayList<>();
        if (joliet.isPresent()) {
            names.add("joliet");
        }
        if (rockRidge) {
            names.add("rock-ridge");
        }
        if (udf) {
            names.add("udf");
        }
        return names;
    }

    /**
     * Rock Ridge announces itself with a SUSP "SP" entry in the root directory's "." record; its last byte
     * says how many bytes to skip in every system use area. Empty when the volume has no Rock Ridge.
     */
    public static Optional<Integer> rockRidgeSkip(BlockSource source, Primary primary) throws IOException {
        long at = primary.root().extentLba() * primary.blockSize();
        if (at < 0 || at + 256 > source.size()) {
            return Optional.empty();
        }
        return DirectoryRecord.parse(source.read(at, 256, ByteOrder.LITTLE_ENDIAN), at, false)
                .map(DirectoryRecord::systemUse)
                .filter(use -> use.remaining() >= 7 && use.get(0) == 'S' && use.get(1) == 'P'
                        && use.get(4) == (byte) 0xBE && use.get(5) == (byte) 0xEF)
                .map(use -> Byte.toUnsignedInt(use.get(6)));
    }
}

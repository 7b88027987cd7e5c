package org.disklens.convert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The first cluster of a new qcow2 image, laid out as qemu lays it out: the header (72 bytes for version 2, 112
 * for version 3 with the compression type byte), the header extensions (backing file format, then for version 3
 * the feature name table, then the end marker), and the backing file name right after them.
 */
final class Qcow2HeaderBytes {
    static final int MAGIC = 0x514649fb;
    static final int V3_HEADER_LENGTH = 112;
    static final int EXT_BACKING_FORMAT = 0xe2792aca;
    static final int EXT_FEATURE_TABLE = 0x6803f857;
    static final long INCOMPAT_COMPRESSION = 1L << 3;
    static final long INCOMPAT_EXTENDED_L2 = 1L << 4;
    static final long COMPAT_LAZY_REFCOUNTS = 1L;

    /** qemu's feature name table: type (0 incompatible, 1 compatible, 2 autoclear), bit, name. */
    private static final Object[][] FEATURES = {
            {0, 0, "dirty bit"}, {0, 1, "corrupt bit"}, {0, 2, "external data file"},
            {0, 3, "compression type"}, {0, 4, "extended L2 entries"}, {1, 0, "lazy refcounts"},
            {2, 0, "bitmaps"}, {2, 1, "raw external data"}};
    private static final int FEATURE_ENTRY = 48;

    private Qcow2HeaderBytes() {
    }

    static ByteBuffer encode(Qcow2Config config, long size, long l1Size, long l1Offset, long refcountTableOffset,
                             long refcountTableClusters, int clusterSize) {
        ByteBuffer header = ByteBuffer.allocate(clusterSize).order(ByteOrder.BIG_ENDIAN);
        boolean v3 = config.version() >= 3;
        header.putInt(0, MAGIC);
        header.putInt(4, config.version());
        header.putInt(20, config.clusterBits());
        header.putLong(24, size);
        header.putInt(32, 0);
        header.putInt(36, (int) l1Size);
        header.putLong(40, l1Offset);
        header.putLong(48, refcountTableOffset);
        header.putInt(56, (int) refcountTableClusters);
        if (v3) {
            long incompatible = (config.zstd() ? INCOMPAT_COMPRESSION : 0) | (config.extendedL2() ? INCOMPAT_EXTENDED_L2 : 0);
            header.putLong(72, incompatible);
            header.putLong(80, config.lazyRefcounts() ? COMPAT_LAZY_REFCOUNTS : 0);
            header.putLong(88, 0);
            header.putInt(96, config.refcountOrder());
            header.putInt(100, V3_HEADER_LENGTH);
            header.put(104, (byte) (config.zstd() ? 1 : 0));
        }
        int at = v3 ? V3_HEADER_LENGTH : 72;
        byte[] backingName = config.backingFile().map(name -> name.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        if (config.backingFormat().isPresent()) {
            at = extension(header, at, EXT_BACKING_FORMAT, config.backingFormat().get().getBytes(StandardCharsets.UTF_8));
        }
        int featureTable = 8 + FEATURES.length * FEATURE_ENTRY;
        if (v3 && at + featureTable + 8 + backingName.length <= clusterSize) {
            byte[] table = new byte[FEATURES.length * FEATURE_ENTRY];
            for (int i = 0; i < FEATURES.length; i++) {
                table[i * FEATURE_ENTRY] = (byte) (int) (Integer) FEATURES[i][0];
                table[i * FEATURE_ENTRY + 1] = (byte) (int) (Integer) FEATURES[i][1];
                byte[] name = ((String) FEATURES[i][2]).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(name, 0, table, i * FEATURE_ENTRY + 2, name.length);
            }
            at = extension(header, at, EXT_FEATURE_TABLE, table);
        }
        at = extension(header, at, 0, new byte[0]);
        if (backingName.length > 0) {
            header.putLong(8, at);
            header.putInt(16, backingName.length);
            header.put(at, backingName);
        }
        return header;
    }

    /** One extension: type, length, data padded to 8 bytes; returns where the next one goes. */
    private static int extension(ByteBuffer header, int at, int type, byte[] data) {
        header.putInt(at, type);
        header.putInt(at + 4, data.length);
        header.put(at + 8, data);
        return at + 8 + (data.length + 7) / 8 * 8;
    }
}
